package org.fedorabuild.hub.web;

import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.fedorabuild.hub.server.HubServices;
import org.fedorabuild.hub.web.copr.CoprBuildPage;
import org.fedorabuild.hub.web.copr.CoprPages;
import org.fedorabuild.hub.web.koji.KojiInfoPages;
import org.fedorabuild.hub.web.koji.KojiPages;
import org.fedorabuild.hub.web.koji.KojiTaskPages;
import org.fedorabuild.hub.web.koji.SearchPage;
import org.fedorabuild.hub.web.status.StatusPages;

/**
 * The web UI as one Jetty handler: static files ({@code /webjars}, {@code /static}) and the pages under
 * {@code /}, {@code /coprs/}, {@code /koji/}, {@code /status/}. New page groups go into {@link #pageSets}.
 */
public final class Web {
    /**
     * The dnf copr plugin's {@code .repo} URL ({@code /coprs/OWNER/PROJECT/repo/CHROOT/FILE.repo}, and the
     * group form): served by the Copr API's handler, so the pages leave it to the next handler.
     */
    static final Pattern DNF_REPO_FILE = Pattern.compile("/coprs/(?:g/[^/]+|(?!g/)[^/]+)/[^/]+/repo/.*");

    private Web() {
    }

    public static Handler handler(HubServices services) {
        return handler(services, new org.fedorabuild.hub.web.account.SessionSignIn(services.accounts, services.users));
    }

    public static Handler handler(HubServices services, SignIn signIn) {
        Router router = new Router().own("/").own("/favicon.ico/").own("/coprs/").own("/koji/").own("/status/")
                .own("/login").own("/logout").own("/signup").own("/api/")
                .leave(p -> DNF_REPO_FILE.matcher(p).matches());
        for (Router.PageSet set : pageSets(services)) {
            set.register(router);
        }
        return new Handler.Sequence(StaticFiles.webjars(), StaticFiles.ours(), new WebHandler(router, new Templates(), signIn));
    }

    private static List<Router.PageSet> pageSets(HubServices services) {
        return List.of(
                r -> r.get("/", req -> WebResponse.redirect("/coprs/"))
                        // browsers ask for it on every plain-text page (logs); a 404 there is console noise
                        .get("/favicon.ico", req -> WebResponse.redirect("/static/favicon.svg").status(301)),
                // before CoprPages: /coprs/OWNER/add/ must not be read as a project named "add"
                new org.fedorabuild.hub.web.self.ProjectFormPages(services.selfService, services.users, services.retention.projects),
                new org.fedorabuild.hub.web.self.PermissionPages(services.db, services.selfService),
                new org.fedorabuild.hub.web.self.BuildFormPages(services),
                new org.fedorabuild.hub.web.self.BuildActionPages(services),
                new CoprPages(services.db, new CoprBuildPage(services.db, services.outputs), services.config.publicUrl()),
                new KojiPages(services.db),
                new KojiTaskPages(services.db, services.outputs),
                new KojiInfoPages(services.db),
                new SearchPage(services.db),
                new StatusPages(services.db),
                new org.fedorabuild.hub.web.account.AccountPages(services.accounts));
    }
}

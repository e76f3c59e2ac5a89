package org.fedorabuild.hub.web.self;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.hub.api.TaskApi;
import org.fedorabuild.hub.namespace.ProjectError;
import org.fedorabuild.hub.namespace.ProjectSettings;
import org.fedorabuild.hub.scm.ScmUrl;
import org.fedorabuild.hub.server.HubServices;
import org.fedorabuild.hub.source.SourceFetcher;
import org.fedorabuild.hub.task.TaskPayloads;
import org.fedorabuild.hub.task.Tasks;
import org.fedorabuild.hub.web.HttpError;
import org.fedorabuild.hub.web.Router;
import org.fedorabuild.hub.web.WebRequest;
import org.fedorabuild.hub.web.WebResponse;
import org.fedorabuild.hub.web.WebUser;
import org.fedorabuild.hub.web.account.Forms;
import org.fedorabuild.hub.web.copr.CoprLinks;

/**
 * What a visitor may do from a project's and a build's pages, as fragments those pages load
 * ({@code …/actions/}: new build, edit, delete; {@code …/build/ID/actions/}: cancel, resubmit), and the
 * cancel and resubmit posts. Cancel follows Koji's {@code cancelTask} rules (the task's owner, a project
 * admin or a hub admin; it is that very call); resubmit builds the same source again into the same target
 * (an uploaded SRPM is copied from the old task), with the builder role {@code build} checks.
 */
public final class BuildActionPages implements Router.PageSet {
    private final HubServices s;
    private final TaskApi taskApi;

    public BuildActionPages(HubServices s) {
        this.s = s;
        this.taskApi = new TaskApi(s.db, s.tasks, s.access, s.outputs);
    }

    @Override
    public void register(Router r) {
        ProjectPath.get(r, "{project}/actions/", this::projectActions);
        ProjectPath.get(r, "{project}/build/{id}/actions/", this::buildActions);
        ProjectPath.post(r, "{project}/build/{id}/cancel/", this::cancel);
        ProjectPath.post(r, "{project}/build/{id}/resubmit/", this::resubmit);
    }

    private ProjectSettings.View project(WebRequest req) {
        try {
            return s.selfService.require(ProjectPath.name(req));
        } catch (ProjectError e) {
            throw ProjectPath.http(e);
        }
    }

    WebResponse projectActions(WebRequest req) {
        ProjectSettings.View p = project(req);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("base", CoprLinks.project(p.name().owner(), p.name().project()));
        m.put("builder", req.user().map(u -> s.selfService.may(u.id(), p, "builder")).orElse(false));
        m.put("admin", req.user().map(u -> s.selfService.may(u.id(), p, "admin")).orElse(false));
        return WebResponse.page("self/project_actions.jte", m);
    }

    /** The build (the {@code build} parent task) of this project named by the path. */
    private Map<String, Object> build(WebRequest req, ProjectSettings.View p) {
        int id = req.pathId("id");
        return s.db.queryOne("SELECT id, state, owner, request FROM tasks WHERE id = ? AND project_id = ? AND method = 'build'",
                id, p.id()).orElseThrow(() -> HttpError.notFound("No build " + id + " in " + p.name() + "."));
    }

    WebResponse buildActions(WebRequest req) {
        ProjectSettings.View p = project(req);
        Map<String, Object> b = build(req, p);
        int state = (Integer) b.get("state");
        boolean active = state == Tasks.FREE || state == Tasks.OPEN || state == Tasks.ASSIGNED;
        Map<String, Object> m = new LinkedHashMap<>();
        String base = CoprLinks.build(p.name().owner(), p.name().project(), (Integer) b.get("id"));
        m.put("base", base);
        m.put("csrf", Forms.token(req).value());
        boolean cancel = false;
        boolean resubmit = false;
        if (req.user().isPresent()) {
            WebUser u = req.user().get();
            cancel = active && (u.id() == (Integer) b.get("owner") || u.admin() || s.selfService.may(u.id(), p, "admin"));
            resubmit = !active && s.selfService.may(u.id(), p, "builder");
        }
        m.put("cancel", cancel);
        m.put("resubmit", resubmit);
        return WebResponse.page("self/build_actions.jte", m);
    }

    WebResponse cancel(WebRequest req) throws Exception {
        WebUser u = req.user().orElseThrow(() -> new HttpError(403, "Sign in first."));
        ProjectSettings.View p = project(req);
        Map<String, Object> b = build(req, p);
        CallContext ctx = Submitter.context(u, Forms.address(req.jetty()));
        try {
            s.db.inTransaction(() -> taskApi.cancelTask(ctx, (Integer) b.get("id"), true));
        } catch (KojiFault.ActionNotAllowed e) {
            throw new HttpError(403, "You may not cancel build " + b.get("id") + ": " + e.getMessage());
        }
        return WebResponse.redirect(CoprLinks.build(p.name().owner(), p.name().project(), (Integer) b.get("id")));
    }

    WebResponse resubmit(WebRequest req) throws Exception {
        WebUser u = req.user().orElseThrow(() -> new HttpError(403, "Sign in first."));
        ProjectSettings.View p = project(req);
        Map<String, Object> b = build(req, p);
        if (!s.selfService.may(u.id(), p, "builder")) {
            throw new HttpError(403, "You may not build in " + p.name() + ".");
        }
        List<Object> request = TaskPayloads.decodeRequest((String) b.get("request"));
        String src = String.valueOf(request.get(0));
        String target = String.valueOf(request.get(1));
        @SuppressWarnings("unchecked")
        Map<String, Object> opts = request.size() > 2 && request.get(2) instanceof Map<?, ?> o ? new LinkedHashMap<>((Map<String, Object>) o)
                : new LinkedHashMap<>();
        if (!SourceFetcher.isUrl(src) && !ScmUrl.looksLikeScm(src)) {
            // An uploaded SRPM moved into the old build's task: copy it into the user's upload area again.
            String name = Path.of(src).getFileName().toString();
            Path old = s.outputs.dir((Integer) b.get("id")).resolve(name);
            if (!Files.isRegularFile(old)) {
                throw HttpError.badRequest("The SRPM of build " + b.get("id") + " is no longer kept; upload it again.");
            }
            String dir = "web-resubmit/" + b.get("id") + "." + Long.toHexString(System.nanoTime());
            Path dest = s.uploads.userRoot(u.name()).resolve(dir).resolve(name);
            Files.createDirectories(dest.getParent());
            Files.copy(old, dest, StandardCopyOption.REPLACE_EXISTING);
            src = dir + "/" + name;
        }
        String source = src;
        CallContext ctx = Submitter.context(u, Forms.address(req.jetty()));
        int id;
        try {
            id = s.db.inTransaction(() -> s.submission.build(ctx, source, target, opts, null, null));
        } catch (KojiFault f) {
            String why = Submitter.problem(f);
            throw HttpError.badRequest("Resubmitting build " + b.get("id") + " failed: " + why);
        }
        return WebResponse.redirect(CoprLinks.build(p.name().owner(), p.name().project(), id));
    }
}

package org.fedorabuild.hub.coprapi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.MultiPart;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.hub.auth.Caller;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.coprapi.ApiRequest.ApiUser;
import org.fedorabuild.hub.namespace.CoprName;
import org.fedorabuild.hub.namespace.ProjectSettings.View;
import org.fedorabuild.hub.namespace.SelfService;
import org.fedorabuild.hub.server.HubServices;

/**
 * Submitting Copr builds: each one goes through the Koji {@code build()} call ({@link
 * org.fedorabuild.hub.build.BuildSubmission}) as the authenticated user, into the project's target, so it is the same
 * task tree the koji CLI makes. Copr's per-build {@code chroots} narrow the target's chroots (opt {@value #CHROOTS_OPT}).
 */
public final class BuildRequests {
    static final String CHROOTS_OPT = org.fedorabuild.hub.build.BuildSubmission.CHROOTS_OPT;

    private final HubServices s;
    private final SelfService projects;

    BuildRequests(HubServices services) {
        this.s = services;
        this.projects = services.selfService;
    }

    /** What every build request checks first (Copr's check-before-build): the project, the permission, the chroots. */
    record Checked(View project, List<String> chroots) {
    }

    Checked check(ApiRequest r) {
        ApiUser u = r.requireUser();
        View p = projects.require(SelfService.name(r.required("ownername"), r.required("projectname")));
        String dir = r.text("project_dirname");
        if (dir != null && !dir.equals(p.name().project())) {
            throw ApiError.badRequest("project_dirname: copr-hub has no project directories (PROJECT:TAG); got '"
                    + ApiRequest.shorten(dir) + "', expected '" + p.name().project() + "'");
        }
        for (String unsupported : List.of("after_build_id", "with_build_id")) {
            if (r.text(unsupported) != null) {
                throw ApiError.badRequest(unsupported + ": build batches are not supported by copr-hub (use copr-hub chain"
                        + " or one submission of several URLs in the web UI to order builds)");
            }
        }
        if (!projects.may(u.id(), p, "builder")) {
            throw ApiError.forbidden("User '" + u.name() + "' is not allowed to build in '" + p.name() + "'");
        }
        List<String> chroots = new ArrayList<>(p.chroots());
        List<String> wanted = r.list("chroots");
        if (wanted != null && !wanted.isEmpty()) {
            for (String c : wanted) {
                if (!p.chroots().contains(c)) {
                    throw ApiError.badRequest("Unexpected chroot: " + ApiRequest.shorten(c) + " (project " + p.name() + " has "
                            + String.join(", ", p.chroots()) + ")");
                }
            }
            chroots.retainAll(wanted);
        }
        List<String> excluded = r.list("exclude_chroots");
        if (excluded != null) {
            chroots.removeAll(excluded);
        }
        if (chroots.isEmpty()) {
            throw ApiError.badRequest("chroots: no chroot left to build in (project " + p.name() + " has "
                    + String.join(", ", p.chroots()) + ")");
        }
        return new Checked(p, chroots);
    }

    /** Submits {@code src} (an upload path in the user's area, an http(s) URL or an SCM URL) and returns the build id. */
    int submit(ApiRequest r, Checked c, String src) throws Exception {
        ApiUser u = r.requireUser();
        CallContext ctx = new CallContext(null, "copr-api", null, false);
        // Authenticated per request by API token: no Koji session exists, the id 0 stands for none.
        ctx.attach(Caller.class, new Caller(0, u.id(), u.name(), Users.NORMAL, 0, false, null, false));
        Map<String, Object> opts = new LinkedHashMap<>();
        if (!c.chroots().equals(c.project().chroots())) {
            opts.put(CHROOTS_OPT, new ArrayList<>(c.chroots()));
        }
        return s.submission.build(ctx, src, c.project().name().tagName(), opts, null, null);
    }

    /** build/create/upload: the multipart file {@code pkgs} goes to the user's upload area, then into the build's task. */
    int upload(ApiRequest r) throws Exception {
        Checked c = check(r);
        MultiPart.Part part = r.parts == null ? null : r.parts.getFirst("pkgs");
        if (part == null || part.getFileName() == null) {
            throw ApiError.badRequest("pkgs: an uploaded .src.rpm file is required");
        }
        String name = Path.of(part.getFileName().replace('\\', '/')).getFileName().toString();
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._+~^-]{0,250}\\.src\\.rpm")) {
            throw ApiError.badRequest("pkgs: invalid file name '" + ApiRequest.shorten(name) + "': expected NAME-VERSION-RELEASE.src.rpm");
        }
        String dir = "copr-api/" + Long.toHexString(System.currentTimeMillis()) + "." + Long.toHexString(new java.security.SecureRandom().nextLong() >>> 1);
        Path dest = s.uploads.userRoot(r.requireUser().name()).resolve(dir).resolve(name);
        Files.createDirectories(dest.getParent());
        try (var in = org.eclipse.jetty.io.Content.Source.asInputStream(part.getContentSource())) {
            Files.copy(in, dest, StandardCopyOption.REPLACE_EXISTING);
        }
        return submit(r, c, dir + "/" + name);
    }

    /** build/create/url: one build per URL ({@code pkgs}: a list, or URLs one a line), as Copr does. */
    List<Integer> urls(ApiRequest r) throws Exception {
        Checked c = check(r);
        List<String> urls = r.list("pkgs");
        if (urls == null || urls.isEmpty()) {
            throw ApiError.badRequest("pkgs: at least one http:// or https:// URL of an SRPM (or .spec) is required");
        }
        if (urls.size() > 50) {
            throw ApiError.badRequest("pkgs: " + urls.size() + " URLs in one request, at most 50");
        }
        List<Integer> ids = new ArrayList<>();
        for (String u : urls) {
            String url = org.fedorabuild.hub.namespace.ProjectRules.url("pkgs", u);
            ids.add(submit(r, c, url));
        }
        return ids;
    }

    /** build/create/scm (and package builds): Copr's clone_url/committish/subdirectory as a Koji SCM URL. */
    int scm(ApiRequest r, Map<String, Object> source) throws Exception {
        Checked c = check(r);
        return submit(r, c, scmUrl(source));
    }

    public static String scmUrl(Map<String, Object> src) {
        String clone = str(src.get("clone_url"));
        if (clone == null) {
            throw ApiError.badRequest("clone_url: a git repository URL is required");
        }
        String type = str(src.get("scm_type"));
        if (type != null && !type.equals("git")) {
            throw ApiError.badRequest("scm_type: only git is supported here, got '" + ApiRequest.shorten(type) + "'");
        }
        String method = str(src.get("source_build_method"));
        if (method != null && !method.equals("rpkg")) {
            throw ApiError.badRequest("source_build_method: only rpkg (spec and sources from the repository) is supported here, got '"
                    + ApiRequest.shorten(method) + "'");
        }
        if (str(src.get("spec")) != null) {
            throw ApiError.badRequest("spec: not supported here; put the spec file in the repository's subdirectory (--subdir)");
        }
        if (clone.startsWith("-") || clone.chars().anyMatch(ch -> ch <= ' ' || ch == '#' || ch == '?')) {
            throw ApiError.badRequest("clone_url: invalid URL '" + ApiRequest.shorten(clone) + "'");
        }
        String sub = str(src.get("subdirectory"));
        String commit = str(src.get("committish"));
        return (clone.startsWith("git://") ? "" : "git+") + clone + (sub == null ? "" : "?" + sub.replaceAll("^/+|/+$", ""))
                + "#" + (commit == null ? "HEAD" : commit);
    }

    private static String str(Object o) {
        return o == null || o.toString().isEmpty() ? null : o.toString();
    }
}

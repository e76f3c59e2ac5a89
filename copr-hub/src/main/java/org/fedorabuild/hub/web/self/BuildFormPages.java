package org.fedorabuild.hub.web.self;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.hub.namespace.ProjectError;
import org.fedorabuild.hub.namespace.ProjectSettings;
import org.fedorabuild.hub.server.HubServices;
import org.fedorabuild.hub.source.SourceFetcher;
import org.fedorabuild.hub.web.FormData;
import org.fedorabuild.hub.web.HttpError;
import org.fedorabuild.hub.web.Router;
import org.fedorabuild.hub.web.WebRequest;
import org.fedorabuild.hub.web.WebResponse;
import org.fedorabuild.hub.web.WebUser;
import org.fedorabuild.hub.web.account.Forms;
import org.fedorabuild.hub.web.copr.CoprLinks;

/**
 * New builds: {@code add_build/} (SRPM or spec URLs, one a line; several are one chain in dependency order),
 * {@code add_build_upload/} (one or more SRPM files, with a progress bar) and {@code add_build_scm/} (a git
 * repository). Only the project's builders see the forms (403 otherwise, for a direct POST too); the browser
 * then lands on the new build's page, or the chain's.
 */
public final class BuildFormPages implements Router.PageSet {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final HubServices s;
    private final Submitter submitter;

    public BuildFormPages(HubServices s) {
        this.s = s;
        this.submitter = new Submitter(s);
    }

    @Override
    public void register(Router r) {
        ProjectPath.get(r, "{project}/add_build/", req -> form(req, "url", null, 200));
        ProjectPath.post(r, "{project}/add_build/", this::fromUrls);
        ProjectPath.get(r, "{project}/add_build_upload/", req -> form(req, "upload", null, 200));
        ProjectPath.post(r, "{project}/add_build_upload/", this::fromUpload);
        ProjectPath.get(r, "{project}/add_build_scm/", req -> form(req, "scm", null, 200));
        ProjectPath.post(r, "{project}/add_build_scm/", this::fromScm);
    }

    /** The project, when the visitor may build in it; 403 otherwise (and no form). */
    ProjectSettings.View builderOf(WebRequest req) {
        WebUser u = req.user().orElseThrow(() -> new HttpError(403, "Sign in to build."));
        ProjectSettings.View p;
        try {
            p = s.selfService.require(ProjectPath.name(req));
        } catch (ProjectError e) {
            throw ProjectPath.http(e);
        }
        if (!s.selfService.may(u.id(), p, "builder")) {
            throw new HttpError(403, "You may not build in " + p.name() + ": ask its admins for the builder role on its permissions page.");
        }
        return p;
    }

    WebResponse form(WebRequest req, String mode, String error, int status) {
        if (req.user().isEmpty()) {
            return Forms.toLogin(req);
        }
        ProjectSettings.View p = builderOf(req);
        String base = CoprLinks.project(p.name().owner(), p.name().project());
        Map<String, Object> m = new LinkedHashMap<>();
        String csrf = Forms.token(req).value();
        m.put("csrf", csrf);
        m.put("mode", mode);
        m.put("project", p.name().toString());
        m.put("base", base);
        m.put("chroots", p.chroots());
        m.put("error", error);
        m.put("uploadAction", base + "add_build_upload/?" + Forms.FIELD + "=" + csrf);
        m.put("maxUpload", s.config.builds().uploadMaxSize());
        return WebResponse.page("self/add_build.jte", m).status(status);
    }

    WebResponse fromUrls(WebRequest req) throws Exception {
        ProjectSettings.View p = builderOf(req);
        FormData f = FormData.of(req);
        List<String> urls = f.lines("pkgs", 100_000);
        for (String u : urls) {
            if (!SourceFetcher.isUrl(u)) {
                return form(req, "url", "Not an http:// or https:// URL: " + shorten(u), 400);
            }
        }
        return submit(req, p, "url", urls, f.all("chroots", 100));
    }

    WebResponse fromScm(WebRequest req) throws Exception {
        ProjectSettings.View p = builderOf(req);
        FormData f = FormData.of(req);
        Map<String, Object> src = new LinkedHashMap<>();
        for (String k : List.of("clone_url", "committish", "subdirectory", "spec")) {
            String v = f.text(k, 1000);
            src.put(k, v.isEmpty() ? null : v);
        }
        String url;
        try {
            url = org.fedorabuild.hub.coprapi.BuildRequests.scmUrl(src);
        } catch (RuntimeException e) {
            return form(req, "scm", e.getMessage(), 400);
        }
        return submit(req, p, "scm", List.of(url), f.all("chroots", 100));
    }

    WebResponse fromUpload(WebRequest req) throws Exception {
        ProjectSettings.View p = builderOf(req);
        WebUser u = req.user().orElseThrow();
        String type = req.jetty().getHeaders().get("Content-Type");
        if (type == null || !type.startsWith("multipart/form-data")) {
            return form(req, "upload", "Expected a file upload (multipart/form-data).", 400);
        }
        Path partsDir = Files.createDirectories(s.config.workDir().resolve("web-parts"));
        MultiPartFormData.Parser parser = new MultiPartFormData.Parser(MultiPart.extractBoundary(type));
        long max = s.config.builds().uploadMaxSize();
        parser.setFilesDirectory(partsDir);
        parser.setMaxFileSize(max);
        parser.setMaxLength(max);
        parser.setMaxMemoryFileSize(64 * 1024);
        parser.setMaxParts(Submitter.MAX_SOURCES + 100);
        MultiPartFormData.Parts parts;
        try {
            parts = parser.parse(req.jetty()).get(1, TimeUnit.HOURS);
        } catch (ExecutionException e) {
            return form(req, "upload", "Unreadable upload: " + e.getCause().getMessage() + " (at most " + max + " bytes in all).", 400);
        }
        try (parts) {
            String dir = "web-upload/" + Long.toHexString(System.currentTimeMillis()) + "." + Long.toHexString(RANDOM.nextLong() >>> 1);
            List<String> sources = new ArrayList<>();
            List<String> chroots = new ArrayList<>();
            for (MultiPart.Part part : parts) {
                if (part.getName().equals("chroots")) {
                    chroots.add(part.getContentAsString(java.nio.charset.StandardCharsets.UTF_8).strip());
                    continue;
                }
                if (!part.getName().equals("pkgs") || part.getFileName() == null || part.getFileName().isEmpty()) {
                    continue;
                }
                String name = Path.of(part.getFileName().replace('\\', '/')).getFileName().toString();
                if (!name.matches("[A-Za-z0-9][A-Za-z0-9._+~^-]{0,250}\\.src\\.rpm")) {
                    return form(req, "upload", "Not an SRPM file name: " + shorten(name) + " (expected NAME-VERSION-RELEASE.src.rpm).", 400);
                }
                Path dest = s.uploads.userRoot(u.name()).resolve(dir).resolve(name);
                if (Files.exists(dest)) {
                    return form(req, "upload", "Two files are named " + name + ".", 400);
                }
                Files.createDirectories(dest.getParent());
                try (var in = org.eclipse.jetty.io.Content.Source.asInputStream(part.getContentSource())) {
                    Files.copy(in, dest, StandardCopyOption.REPLACE_EXISTING);
                }
                sources.add(dir + "/" + name);
            }
            if (sources.isEmpty()) {
                return form(req, "upload", "Choose at least one .src.rpm file.", 400);
            }
            return submit(req, p, "upload", sources, chroots);
        }
    }

    private WebResponse submit(WebRequest req, ProjectSettings.View p, String mode, List<String> sources, List<String> chroots)
            throws Exception {
        try {
            return WebResponse.redirect(submitter.submit(req.user().orElseThrow(), Forms.address(req.jetty()), p, sources, chroots));
        } catch (KojiFault f) {
            return form(req, mode, Submitter.problem(f), 400);
        } catch (HttpError e) {
            if (e.status() != 400) {
                throw e;
            }
            return form(req, mode, e.getMessage(), 400);
        }
    }

    static String shorten(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}

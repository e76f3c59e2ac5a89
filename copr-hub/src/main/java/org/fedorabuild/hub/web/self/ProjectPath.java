package org.fedorabuild.hub.web.self;

import org.fedorabuild.hub.namespace.CoprName;
import org.fedorabuild.hub.namespace.ProjectError;
import org.fedorabuild.hub.namespace.SelfService;
import org.fedorabuild.hub.web.HttpError;
import org.fedorabuild.hub.web.Router;
import org.fedorabuild.hub.web.WebRequest;

/** The two spellings of a project's pages, {@code /coprs/OWNER/…} and {@code /coprs/g/GROUP/…}, for one route. */
final class ProjectPath {
    private ProjectPath() {
    }

    /** A page of this package. */
    @FunctionalInterface
    interface Page {
        org.fedorabuild.hub.web.WebResponse handle(WebRequest req) throws Exception;
    }

    /** Registers {@code suffix} (e.g. {@code "{project}/edit/"}) under both owner forms. */
    static void get(Router r, String suffix, Page h) {
        r.get("/coprs/g/{group}/" + suffix, h::handle).get("/coprs/{owner}/" + suffix, h::handle);
    }

    static void post(Router r, String suffix, Page h) {
        r.post("/coprs/g/{group}/" + suffix, h::handle).post("/coprs/{owner}/" + suffix, h::handle);
    }

    /** The owner named by the path: {@code alice} or {@code @group}. */
    static String owner(WebRequest req) {
        return req.path().startsWith("/coprs/g/") ? "@" + req.path("group") : req.path("owner");
    }

    static CoprName name(WebRequest req) {
        try {
            return SelfService.name(owner(req), req.path("project"));
        } catch (ProjectError e) {
            throw HttpError.notFound("No project " + owner(req) + "/" + req.path("project") + ".");
        }
    }

    /** A refusal of the project service as the page's answer (403, 404, 400 or 409). */
    static HttpError http(ProjectError e) {
        return new HttpError(e.status() == 409 ? 400 : e.status(), e.getMessage());
    }
}

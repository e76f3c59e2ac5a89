package org.fedorabuild.hub.web.self;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.namespace.ProjectError;
import org.fedorabuild.hub.namespace.ProjectSettings;
import org.fedorabuild.hub.namespace.SelfService;
import org.fedorabuild.hub.web.HttpError;
import org.fedorabuild.hub.web.Router;
import org.fedorabuild.hub.web.Row;
import org.fedorabuild.hub.web.WebRequest;
import org.fedorabuild.hub.web.WebResponse;
import org.fedorabuild.hub.web.WebUser;
import org.fedorabuild.hub.web.account.Forms;
import org.fedorabuild.hub.web.copr.CoprLinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /coprs/OWNER/PROJECT/permissions/}: who holds the project's roles ({@code builder}: builds; {@code admin}:
 * also edits, deletes and decides), signed-in users ask for a role, the project's admins approve or refuse
 * requests and take roles back. The roles are the Koji API's ({@code project_perms}).
 */
public final class PermissionPages implements Router.PageSet {
    private static final Logger LOG = LoggerFactory.getLogger(PermissionPages.class);
    private final Db db;
    private final SelfService self;

    public PermissionPages(Db db, SelfService self) {
        this.db = db;
        this.self = self;
    }

    @Override
    public void register(Router r) {
        ProjectPath.get(r, "{project}/permissions/", this::page);
        ProjectPath.post(r, "{project}/permissions/", this::act);
    }

    private ProjectSettings.View project(WebRequest req) {
        try {
            return self.require(ProjectPath.name(req));
        } catch (ProjectError e) {
            throw ProjectPath.http(e);
        }
    }

    WebResponse page(WebRequest req) {
        ProjectSettings.View p = project(req);
        Map<String, Object> m = new LinkedHashMap<>();
        boolean admin = req.user().map(u -> self.may(u.id(), p, "admin")).orElse(false);
        boolean builder = req.user().map(u -> self.may(u.id(), p, "builder")).orElse(false);
        m.put("csrf", Forms.token(req).value());
        m.put("project", p.name().toString());
        m.put("action", CoprLinks.project(p.name().owner(), p.name().project()) + "permissions/");
        m.put("roles", Row.of(db.query("SELECT u.name, pp.role FROM project_perms pp JOIN users u ON u.id = pp.user_id"
                + " WHERE pp.project_id = ? ORDER BY u.name, pp.role", p.id())));
        m.put("requests", Row.of(db.query("SELECT r.id, u.name, r.role, r.create_time FROM project_role_requests r JOIN users u"
                + " ON u.id = r.user_id WHERE r.project_id = ? AND r.state = 'pending' AND (? OR r.user_id = ?) ORDER BY r.id",
                p.id(), admin, req.user().map(WebUser::id).orElse(-1))));
        m.put("admin", admin);
        m.put("builder", builder);
        m.put("signedIn", req.user().isPresent());
        return WebResponse.page("self/permissions.jte", m);
    }

    WebResponse act(WebRequest req) {
        WebUser u = req.user().orElseThrow(() -> new HttpError(403, "Sign in first."));
        ProjectSettings.View p = project(req);
        String action = req.form("action").orElse("");
        String back = CoprLinks.project(p.name().owner(), p.name().project()) + "permissions/";
        switch (action) {
            case "ask" -> {
                String role = role(req.form("role").orElse(""));
                if (self.may(u.id(), p, role)) {
                    throw HttpError.badRequest("You already hold " + role + " in " + p.name() + ".");
                }
                db.update("INSERT INTO project_role_requests (project_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                        p.id(), u.id(), role);
                LOG.info("Project {} - {} asks for {}", p.name(), u.name(), role);
            }
            case "approve", "refuse" -> {
                assertAdmin(u, p);
                int id = id(req.form("id").orElse(""));
                db.tx(() -> {
                    var r = db.queryOne("SELECT user_id, role FROM project_role_requests WHERE id = ? AND project_id = ? AND state = 'pending'"
                            + " FOR UPDATE", id, p.id()).orElseThrow(() -> HttpError.notFound("No pending request " + id + " in " + p.name() + "."));
                    db.update("UPDATE project_role_requests SET state = ?, decided_by = ?, decide_time = now() WHERE id = ?",
                            action.equals("approve") ? "approved" : "refused", u.id(), id);
                    if (action.equals("approve")) {
                        db.update("INSERT INTO project_perms (project_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", p.id(),
                                r.get("user_id"), r.get("role"));
                    }
                    LOG.info("Project {} - {} {}s request {} ({} for user {})", p.name(), u.name(), action, id, r.get("role"), r.get("user_id"));
                    return null;
                });
            }
            case "remove" -> {
                assertAdmin(u, p);
                String role = role(req.form("role").orElse(""));
                String name = req.form("user").orElse("");
                int n = db.update("DELETE FROM project_perms WHERE project_id = ? AND role = ? AND user_id = (SELECT id FROM users WHERE name = ?)",
                        p.id(), role, name);
                if (n == 0) {
                    throw HttpError.notFound(name + " holds no " + role + " role in " + p.name() + ".");
                }
                LOG.info("Project {} - {} removed {} from {}", p.name(), u.name(), role, name);
            }
            default -> throw HttpError.badRequest("unknown action '" + action + "': expected ask, approve, refuse or remove");
        }
        return WebResponse.redirect(back);
    }

    private void assertAdmin(WebUser u, ProjectSettings.View p) {
        if (!self.may(u.id(), p, "admin")) {
            throw new HttpError(403, "Only the admins of " + p.name() + " decide on its permissions (you are " + u.name() + ").");
        }
    }

    private static String role(String r) {
        if (!r.equals("builder") && !r.equals("admin")) {
            throw HttpError.badRequest("bad role '" + r + "': expected builder or admin");
        }
        return r;
    }

    private static int id(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("bad request id '" + v + "': expected a number");
        }
    }
}

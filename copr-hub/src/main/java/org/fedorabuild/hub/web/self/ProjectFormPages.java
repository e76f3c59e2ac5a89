package org.fedorabuild.hub.web.self;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.namespace.CoprName;
import org.fedorabuild.hub.namespace.ProjectError;
import org.fedorabuild.hub.namespace.ProjectRules;
import org.fedorabuild.hub.namespace.ProjectSettings;
import org.fedorabuild.hub.namespace.SelfService;
import org.fedorabuild.hub.retention.ProjectRetention;
import org.fedorabuild.hub.retention.RetentionKeys;
import org.fedorabuild.hub.web.FormData;
import org.fedorabuild.hub.web.HttpError;
import org.fedorabuild.hub.web.Router;
import org.fedorabuild.hub.web.WebRequest;
import org.fedorabuild.hub.web.WebResponse;
import org.fedorabuild.hub.web.WebUser;
import org.fedorabuild.hub.web.account.Forms;
import org.fedorabuild.hub.web.copr.CoprLinks;

/**
 * A contributor's own projects: {@code /coprs/OWNER/add/} (under their name or a group they belong to),
 * {@code …/PROJECT/edit/} (fields, chroots and retention overrides; project admins) and {@code …/PROJECT/delete/}
 * (with confirmation; project admins). All through {@link SelfService}, the same rules as Copr's API; a
 * visitor who may not act sees no form (403) and a direct POST is refused the same way.
 */
public final class ProjectFormPages implements Router.PageSet {
    static final List<String> RETENTION_KEYS = List.of("keep_builds", "failed_days", "scratch_days", "logs");

    private final SelfService self;
    private final Users users;
    private final ProjectRetention retention;

    public ProjectFormPages(SelfService self, Users users, ProjectRetention retention) {
        this.self = self;
        this.users = users;
        this.retention = retention;
    }

    @Override
    public void register(Router r) {
        ProjectPath.get(r, "add/", this::addForm);
        ProjectPath.post(r, "add/", this::add);
        ProjectPath.get(r, "{project}/edit/", this::editForm);
        ProjectPath.post(r, "{project}/edit/", this::edit);
        ProjectPath.get(r, "{project}/delete/", this::deleteForm);
        ProjectPath.post(r, "{project}/delete/", this::delete);
    }

    private WebUser user(WebRequest req) {
        return req.user().orElseThrow(() -> new HttpError(403, "Sign in first."));
    }

    private void assertMayCreate(WebUser u, String owner) {
        boolean ok = u.admin() || owner.equals(u.name())
                || (owner.startsWith("@") && users.byName(owner).map(g -> users.isMember(u.id(), (Integer) g.get("id"))).orElse(false));
        if (!ok) {
            throw new HttpError(403, "You may create projects only under your own name or a group you belong to, not under " + owner + ".");
        }
    }

    WebResponse addForm(WebRequest req) {
        if (req.user().isEmpty()) {
            return Forms.toLogin(req);
        }
        String owner = ProjectPath.owner(req);
        assertMayCreate(req.user().get(), owner);
        return form(req, owner, null, new Values("", "", "", List.of(), List.of(), false, Map.of()), null, 200);
    }

    WebResponse add(WebRequest req) {
        WebUser u = user(req);
        String owner = ProjectPath.owner(req);
        assertMayCreate(u, owner);
        Values v = values(req);
        try {
            CoprName name = SelfService.name(owner, v.name());
            self.create(u.id(), name, new ProjectSettings.Input(v.description(), v.instructions(), v.chroots(), v.repos(),
                    v.enableNet(), null));
            return WebResponse.redirect(CoprLinks.project(owner, name.project()));
        } catch (ProjectError e) {
            if (e.status() == 403) {
                throw ProjectPath.http(e);
            }
            return form(req, owner, null, v, e.getMessage(), 400);
        }
    }

    private ProjectSettings.View adminOf(WebRequest req) {
        WebUser u = user(req);
        ProjectSettings.View p;
        try {
            p = self.require(ProjectPath.name(req));
        } catch (ProjectError e) {
            throw ProjectPath.http(e);
        }
        if (!self.may(u.id(), p, "admin")) {
            throw new HttpError(403, "Only the admins of " + p.name() + " may change it (you are " + u.name() + ").");
        }
        return p;
    }

    WebResponse editForm(WebRequest req) {
        if (req.user().isEmpty()) {
            return Forms.toLogin(req);
        }
        ProjectSettings.View p = adminOf(req);
        return form(req, p.name().owner(), p, new Values(p.name().project(), p.description(), p.instructions(), p.chroots(), p.repos(),
                p.enableNet(), retention.overrides(p.id())), null, 200);
    }

    WebResponse edit(WebRequest req) {
        ProjectSettings.View p = adminOf(req);
        Values v = values(req);
        try {
            for (String k : RETENTION_KEYS) {
                String problem = v.retention().get(k).isEmpty() ? null : RetentionKeys.checkProjectOverride(k, v.retention().get(k));
                if (problem != null) {
                    throw ProjectError.invalid(problem);
                }
            }
            self.modify(user(req).id(), p.name(), new ProjectSettings.Input(v.description(), v.instructions(), v.chroots(), v.repos(),
                    v.enableNet(), null));
            for (String k : RETENTION_KEYS) {
                retention.set(p.id(), k, v.retention().get(k));
            }
            return WebResponse.redirect(CoprLinks.project(p.name().owner(), p.name().project()));
        } catch (ProjectError e) {
            if (e.status() == 403) {
                throw ProjectPath.http(e);
            }
            return form(req, p.name().owner(), p, v, e.getMessage(), 400);
        }
    }

    WebResponse deleteForm(WebRequest req) {
        if (req.user().isEmpty()) {
            return Forms.toLogin(req);
        }
        ProjectSettings.View p = adminOf(req);
        return WebResponse.page("self/delete.jte", Map.of("csrf", Forms.token(req).value(), "project", p.name().toString(),
                "action", CoprLinks.project(p.name().owner(), p.name().project()) + "delete/", "error", ""));
    }

    WebResponse delete(WebRequest req) {
        ProjectSettings.View p = adminOf(req);
        FormData f = FormData.of(req);
        if (!f.text("confirm", 300).equals(p.name().toString())) {
            return WebResponse.page("self/delete.jte", Map.of("csrf", Forms.token(req).value(), "project", p.name().toString(),
                    "action", CoprLinks.project(p.name().owner(), p.name().project()) + "delete/",
                    "error", "Type the project's full name, " + p.name() + ", to confirm.")).status(400);
        }
        try {
            self.delete(user(req).id(), p.name(), false);
        } catch (ProjectError e) {
            throw ProjectPath.http(e);
        }
        return WebResponse.redirect(CoprLinks.owner(p.name().owner()));
    }

    /** What the form holds: as posted, or the project's current values. */
    public record Values(String name, String description, String instructions, List<String> chroots, List<String> repos, boolean enableNet,
            Map<String, String> retention) {
    }

    private static Values values(WebRequest req) {
        FormData f = FormData.of(req);
        Map<String, String> ret = new LinkedHashMap<>();
        for (String k : RETENTION_KEYS) {
            ret.put(k, f.text(k, 20));
        }
        return new Values(f.text("name", 200), f.text("description", ProjectRules.MAX_DESCRIPTION + 100),
                f.text("instructions", ProjectRules.MAX_INSTRUCTIONS + 100), f.all("chroots", 100),
                f.lines("repos", 2048 * ProjectRules.MAX_REPOS), f.checked("enable_net"), ret);
    }

    private WebResponse form(WebRequest req, String owner, ProjectSettings.View existing, Values v, String error, int status) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("csrf", Forms.token(req).value());
        p.put("owner", owner);
        p.put("editing", existing != null);
        p.put("action", existing == null ? CoprLinks.owner(owner) + "add/"
                : CoprLinks.project(existing.name().owner(), existing.name().project()) + "edit/");
        List<String> offered = new java.util.ArrayList<>(self.catalog().enabledNames());
        v.chroots().stream().filter(c -> !offered.contains(c)).forEach(offered::add);
        p.put("offered", offered);
        p.put("v", v);
        p.put("repos", String.join("\n", v.repos()));
        p.put("retentionKeys", existing == null ? List.of() : RETENTION_KEYS);
        p.put("error", error);
        return WebResponse.page("self/project_form.jte", p).status(status);
    }
}

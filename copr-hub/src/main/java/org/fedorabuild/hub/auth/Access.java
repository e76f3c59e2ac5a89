package org.fedorabuild.hub.auth;

import org.fedorabuild.compat.fault.KojiFault.ActionNotAllowed;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.hub.db.Db;

/**
 * The permission checks of every state-changing call, worded as Koji's {@code assertLogin} and
 * {@code assertPerm} (the CLI prints the text; scripts grep it), plus Copr's per-project roles.
 */
public final class Access {
    private final Db db;
    private final Users users;

    public Access(Db db, Users users) {
        this.db = db;
        this.users = users;
    }

    public Users users() {
        return users;
    }

    public Caller assertLogin(CallContext ctx) {
        Caller c = Caller.of(ctx);
        if (!c.loggedIn()) {
            throw new ActionNotAllowed("you must be logged in for this operation");
        }
        return c;
    }

    public boolean hasPerm(CallContext ctx, String perm) {
        Caller c = Caller.of(ctx);
        return c.loggedIn() && users.hasPerm(c.userId(), perm);
    }

    /** Koji's assertPerm: {@code admin} always suffices. */
    public Caller assertPerm(CallContext ctx, String perm) {
        Caller c = Caller.of(ctx);
        if (c.loggedIn() && users.hasPerm(c.userId(), perm)) {
            return c;
        }
        throw new ActionNotAllowed(perm + " permission required" + who(c));
    }

    /**
     * Copr's project roles: {@code builder} builds and adds packages, {@code admin} edits the project.
     * The owner (or any member of the owning group) and hub admins hold both; admin implies builder.
     */
    public Caller assertProjectRole(CallContext ctx, int projectId, String projectName, String role) {
        Caller c = Caller.of(ctx);
        if (c.loggedIn() && hasProjectRole(c.userId(), projectId, role)) {
            return c;
        }
        throw new ActionNotAllowed(role + " permission required in project " + projectName + who(c));
    }

    public boolean hasProjectRole(int userId, int projectId, String role) {
        if (users.hasPerm(userId, "admin")) {
            return true;
        }
        return db.queryOne("SELECT 1 FROM projects p WHERE p.id = ? AND (p.owner_id = ?"
                + " OR p.owner_id IN (SELECT group_id FROM user_groups WHERE user_id = ?)"
                + " OR EXISTS (SELECT 1 FROM project_perms pp WHERE pp.project_id = p.id"
                + "   AND (pp.user_id = ? OR pp.user_id IN (SELECT group_id FROM user_groups WHERE user_id = ?))"
                + "   AND (pp.role = ? OR pp.role = 'admin')))",
                projectId, userId, userId, userId, userId, role).isPresent();
    }

    private static String who(Caller c) {
        return c.loggedIn() ? " (logged in as " + c.name() + ")" : " (user not logged in)";
    }
}

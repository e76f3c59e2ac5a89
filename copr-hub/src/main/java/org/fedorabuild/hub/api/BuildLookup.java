package org.fedorabuild.hub.api;

import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.hub.auth.Caller;
import org.fedorabuild.hub.db.Db;

/**
 * Which build a bare NVR names. One NVR may exist in many projects (strangers pick package names freely), so
 * a bare NVR never resolves by "newest wins", which would let any project shadow another's build or, through
 * fedpkg's "already built" check, stop another's build by building its NVR first:
 * <ul>
 * <li>a logged-in caller: only the projects they can build in (owner, member of the owning group, a
 *     builder/admin role) are searched, so what strangers build is invisible to their checks;</li>
 * <li>anyone else: the NVR resolves only when a single project holds it;</li>
 * <li>when several projects qualify, a fault lists the {@code OWNER/PROJECT:NVR} forms to use instead.</li>
 * </ul>
 * Within the one project the newest build of the NVR answers (a project holds one per chroot).
 */
public final class BuildLookup {
    /** Projects the user builds in, as SQL over {@code pr} with four user-id parameters. */
    static final String CALLERS_PROJECTS = "(pr.owner_id = ? OR pr.owner_id IN (SELECT group_id FROM user_groups WHERE user_id = ?)"
            + " OR EXISTS (SELECT 1 FROM project_perms pp WHERE pp.project_id = pr.id AND (pp.user_id = ?"
            + " OR pp.user_id IN (SELECT group_id FROM user_groups WHERE user_id = ?))))";

    private final Db db;

    public BuildLookup(Db db) {
        this.db = db;
    }

    /**
     * The id of the project a bare NVR resolves to for {@code caller}, or null when none holds it.
     *
     * @throws GenericError when several projects qualify, naming the qualified forms
     */
    public Integer project(Caller caller, String name, String version, String release) {
        String nvr = name + "-" + version + "-" + release;
        String sql = "SELECT DISTINCT pr.id, ow.name || '/' || pr.name AS project FROM builds b JOIN packages pk ON pk.id = b.package_id"
                + " JOIN projects pr ON pr.id = b.project_id JOIN users ow ON ow.id = pr.owner_id"
                + " WHERE pk.name = ? AND b.version = ? AND b.release = ? AND b.state <> 2";
        List<Map<String, Object>> rows = caller.loggedIn()
                ? db.query(sql + " AND " + CALLERS_PROJECTS + " ORDER BY 2 LIMIT 11", name, version, release, caller.userId(),
                        caller.userId(), caller.userId(), caller.userId())
                : db.query(sql + " ORDER BY 2 LIMIT 11", name, version, release);
        if (rows.isEmpty()) {
            return null;
        }
        if (rows.size() > 1) {
            StringBuilder forms = new StringBuilder();
            for (var r : rows.subList(0, Math.min(10, rows.size()))) {
                forms.append(forms.length() == 0 ? "" : ", ").append(r.get("project")).append(':').append(nvr);
            }
            throw new GenericError("build " + nvr + " exists in " + (rows.size() > 10 ? "more than 10" : rows.size())
                    + (caller.loggedIn() ? " of your" : "") + " projects; name one as OWNER/PROJECT:NVR: " + forms
                    + (rows.size() > 10 ? ", ..." : ""));
        }
        return (Integer) rows.get(0).get("id");
    }
}

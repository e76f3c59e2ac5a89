package org.fedorabuild.hub.namespace;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedorabuild.hub.auth.Access;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.namespace.ProjectSettings.Input;
import org.fedorabuild.hub.namespace.ProjectSettings.View;
import org.fedorabuild.hub.retention.ProjectDeletion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projects made and run by their users, the one implementation behind the web pages and Copr's API v3:
 * a signed-in user creates a project under their own name or a group they belong to (hub admins under any
 * owner), its admins change its fields and chroots and delete it, with the permissions the Koji API
 * applies ({@link Access#hasProjectRole}). Every field passes {@link ProjectRules}; new chroots must be in
 * the hub's {@link ChrootCatalog} (hub admins may pick any). Refusals are {@link ProjectError}s. Each call
 * runs in the caller's transaction (a web or API request's), or its own.
 */
public final class SelfService {
    private static final Logger LOG = LoggerFactory.getLogger(SelfService.class);
    private static final String VIEW_SELECT = "SELECT p.id, u.name AS owner, p.name, coalesce(p.description, '') AS description,"
            + " p.instructions, array_to_string(p.extra_repos, E'\\n') AS repos, p.enable_net, p.unlisted, p.create_time,"
            + " (SELECT string_agg(pc.name, E'\\n' ORDER BY pc.name) FROM project_chroots pc WHERE pc.project_id = p.id AND pc.enabled)"
            + " AS chroots FROM projects p JOIN users u ON u.id = p.owner_id WHERE p.deleted_time IS NULL ";

    private final Db db;
    private final Users users;
    private final Access access;
    private final Projects projects;
    private final ChrootCatalog catalog;
    private final ProjectDeletion deletion;

    public SelfService(Db db, Access access, Projects projects, ChrootCatalog catalog, ProjectDeletion deletion) {
        this.db = db;
        this.users = access.users();
        this.access = access;
        this.projects = projects;
        this.catalog = catalog;
        this.deletion = deletion;
    }

    public ChrootCatalog catalog() {
        return catalog;
    }

    public Optional<View> find(CoprName name) {
        return db.queryOne(VIEW_SELECT + "AND u.name = ? AND p.name = ?", name.owner(), name.project()).map(SelfService::view);
    }

    /** The project, or NOT_FOUND worded as Copr does ("Project alice/nope does not exist."). */
    public View require(CoprName name) {
        return find(name).orElseThrow(() -> ProjectError.notFound("Project " + name + " does not exist."));
    }

    /** Parses OWNER/PROJECT as an INVALID error (not a Koji fault) when malformed. */
    public static CoprName name(String owner, String project) {
        String o = owner == null ? "" : owner;
        if (!o.matches(Users.NAME_PATTERN) && !o.matches(Users.GROUP_PATTERN)) {
            throw ProjectError.invalid("ownername: invalid owner '" + ProjectRules.shorten(o) + "': expected a user name or @group");
        }
        return new CoprName(o, ProjectRules.projectName(project));
    }

    /** The live projects of an owner, by name; unlisted ones only when {@code withUnlisted}. */
    public List<View> ownedBy(String owner, boolean withUnlisted) {
        List<View> out = new ArrayList<>();
        for (var r : db.query(VIEW_SELECT + "AND u.name = ? AND (? OR NOT p.unlisted) ORDER BY p.name", owner, withUnlisted)) {
            out.add(view(r));
        }
        return out;
    }

    /** Listed live projects whose OWNER/PROJECT contains {@code text} (case-insensitive), by full name. */
    public List<View> search(String text, int limit) {
        String pattern = "%" + text.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        List<View> out = new ArrayList<>();
        for (var r : db.query(VIEW_SELECT + "AND NOT p.unlisted AND lower(u.name || '/' || p.name) LIKE ? ORDER BY u.name, p.name LIMIT ?",
                pattern, limit)) {
            out.add(view(r));
        }
        return out;
    }

    /** True when the user may build in (builder) or administer (admin) the project. */
    public boolean may(int userId, View project, String role) {
        return access.hasProjectRole(userId, project.id(), role);
    }

    public View create(int userId, CoprName name, Input in) {
        return db.tx(() -> {
            var actor = actor(userId);
            ProjectRules.projectName(name.project());
            boolean admin = users.hasPerm(userId, "admin");
            var owner = users.byName(name.owner()).orElseThrow(() -> ProjectError.notFound(
                    (name.groupOwned() ? "Group " : "User ") + name.owner() + " does not exist."));
            int ownerId = (Integer) owner.get("id");
            int type = (Integer) owner.get("usertype");
            if (name.groupOwned() != (type == Users.GROUP) || type == Users.HOST) {
                throw ProjectError.invalid("ownername: " + name.owner() + " cannot own projects (a user or @group is expected)");
            }
            if (!admin && (name.groupOwned() ? !users.isMember(userId, ownerId) : ownerId != userId)) {
                throw ProjectError.forbidden("User '" + actor + "' may not create projects under '" + name.owner() + "'"
                        + (name.groupOwned() ? " (not a member of the group)" : " (only under their own name or their groups)"));
            }
            db.queryOne("SELECT id FROM users WHERE id = ? FOR UPDATE", ownerId);
            if (find(name).isPresent()) {
                throw ProjectError.invalid("name: " + name.owner() + " already has a project named '" + name.project() + "'.");
            }
            List<String> chroots = in.chroots() == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(in.chroots()));
            if (chroots.isEmpty()) {
                throw ProjectError.invalid("chroots: at least one chroot is required (this hub offers "
                        + String.join(", ", catalog.enabledNames()) + ")");
            }
            checkChroots(chroots, admin);
            String description = ProjectRules.text("description", in.description(), ProjectRules.MAX_DESCRIPTION);
            String instructions = ProjectRules.text("instructions", in.instructions(), ProjectRules.MAX_INSTRUCTIONS);
            List<String> repos = ProjectRules.repoUrls("repos", in.repos());
            Projects.Project p = projects.create(name, chroots, description.isEmpty() ? null : description);
            db.update("UPDATE projects SET instructions = ?, extra_repos = ?, enable_net = ?, unlisted = ? WHERE id = ?", instructions,
                    repos.toArray(String[]::new), Boolean.TRUE.equals(in.enableNet()), Boolean.TRUE.equals(in.unlisted()), p.id());
            LOG.info("Project {} - created by {} (chroots {}, {} build repo(s), network {})", name, actor, chroots, repos.size(),
                    Boolean.TRUE.equals(in.enableNet()) ? "on" : "off");
            return require(name);
        });
    }

    public View modify(int userId, CoprName name, Input in) {
        return db.tx(() -> {
            String actor = actor(userId);
            View old = lockForAdmin(userId, actor, name);
            boolean admin = users.hasPerm(userId, "admin");
            String description = in.description() == null ? old.description()
                    : ProjectRules.text("description", in.description(), ProjectRules.MAX_DESCRIPTION);
            String instructions = in.instructions() == null ? old.instructions()
                    : ProjectRules.text("instructions", in.instructions(), ProjectRules.MAX_INSTRUCTIONS);
            List<String> repos = in.repos() == null ? old.repos() : ProjectRules.repoUrls("repos", in.repos());
            if (in.chroots() != null) {
                List<String> wanted = List.copyOf(new java.util.LinkedHashSet<>(in.chroots()));
                if (wanted.isEmpty()) {
                    throw ProjectError.invalid("chroots: a project keeps at least one chroot (delete the project instead)");
                }
                checkChroots(wanted.stream().filter(c -> !old.chroots().contains(c)).toList(), admin);
                Projects.Project p = projects.find(name).orElseThrow();
                db.update("UPDATE project_chroots SET enabled = (name = ANY(?)) WHERE project_id = ?", wanted.toArray(String[]::new), p.id());
                projects.create(name, wanted, null); // adds new chroots, refreshes the project tag's arches
            }
            db.update("UPDATE projects SET description = ?, instructions = ?, extra_repos = ?, enable_net = ?, unlisted = ? WHERE id = ?",
                    description.isEmpty() ? null : description, instructions, repos.toArray(String[]::new),
                    in.enableNet() == null ? old.enableNet() : in.enableNet(), in.unlisted() == null ? old.unlisted() : in.unlisted(), old.id());
            View now = require(name);
            LOG.info("Project {} - modified by {} (chroots {}, {} build repo(s), network {}, {})", name, actor, now.chroots(),
                    now.repos().size(), now.enableNet() ? "on" : "off", now.unlisted() ? "unlisted" : "listed");
            return now;
        });
    }

    /**
     * Deletes the project as {@code copr-hub project delete} does (builds, tags, targets, results; running
     * tasks canceled; an active chain refused unless {@code force}); the files go once the transaction commits.
     */
    public ProjectDeletion.Summary delete(int userId, CoprName name, boolean force) {
        return db.tx(() -> {
            String actor = actor(userId);
            lockForAdmin(userId, actor, name);
            ProjectDeletion.Summary s;
            try {
                s = deletion.mark(name, force);
            } catch (org.fedorabuild.compat.fault.KojiFault.GenericError e) {
                throw new ProjectError(ProjectError.Kind.CONFLICT, e.getMessage());
            }
            db.afterCommit(() -> {
                try {
                    deletion.finishPending();
                } catch (Exception e) {
                    LOG.warn("Project {} - files not removed yet (the next prune finishes): {}", name, e.toString());
                }
            });
            LOG.info("Project {} - deleted by {}: {}", name, actor, s.describe());
            return s;
        });
    }

    public ProjectSettings.Chroot chroot(CoprName name, String chroot) {
        View p = require(name);
        return db.queryOne("SELECT name, enabled, array_to_string(extra_packages, E'\\n') AS pkgs, array_to_string(extra_repos, E'\\n')"
                + " AS repos FROM project_chroots WHERE project_id = ? AND name = ?", p.id(), chroot)
                .map(r -> new ProjectSettings.Chroot(name, chroot, lines(r.get("pkgs")), lines(r.get("repos")), (Boolean) r.get("enabled")))
                .orElseThrow(() -> ProjectError.notFound("Chroot " + ProjectRules.shorten(String.valueOf(chroot))
                        + " does not exist in project " + name + " (it has " + String.join(", ", p.chroots()) + ")."));
    }

    /** Sets a chroot's buildroot extras; a null list is unchanged. Needs the project's admin role. */
    public ProjectSettings.Chroot editChroot(int userId, CoprName name, String chroot, List<String> packages, List<String> repos) {
        return db.tx(() -> {
            String actor = actor(userId);
            lockForAdmin(userId, actor, name);
            ProjectSettings.Chroot old = chroot(name, chroot);
            List<String> pk = packages == null ? old.packages() : ProjectRules.packages("additional_packages", packages);
            List<String> rp = repos == null ? old.repos() : ProjectRules.repoUrls("additional_repos", repos);
            db.update("UPDATE project_chroots SET extra_packages = ?, extra_repos = ? WHERE project_id = (SELECT p.id FROM projects p"
                    + " JOIN users u ON u.id = p.owner_id WHERE u.name = ? AND p.name = ? AND p.deleted_time IS NULL) AND name = ?",
                    pk.toArray(String[]::new), rp.toArray(String[]::new), name.owner(), name.project(), chroot);
            LOG.info("Project {} - chroot {} edited by {} ({} package(s), {} repo(s))", name, chroot, actor, pk.size(), rp.size());
            return chroot(name, chroot);
        });
    }

    private void checkChroots(List<String> chroots, boolean admin) {
        if (chroots.size() > ProjectRules.MAX_CHROOTS) {
            throw ProjectError.invalid("chroots: " + chroots.size() + " chroots, at most " + ProjectRules.MAX_CHROOTS);
        }
        catalog.checkChoosable("chroots", chroots, admin);
    }

    private View lockForAdmin(int userId, String actor, CoprName name) {
        View p = require(name);
        if (!access.hasProjectRole(userId, p.id(), "admin")) {
            throw ProjectError.forbidden("User '" + actor + "' is not an admin of project " + name
                    + " (the owner, the owning group's members and the project's admins are)");
        }
        db.queryOne("SELECT id FROM projects WHERE id = ? FOR UPDATE", p.id());
        return p;
    }

    /** The acting user's name; a missing or blocked account is refused (its token or session outlived it). */
    private String actor(int userId) {
        Map<String, Object> u = users.byId(userId).orElseThrow(() -> ProjectError.forbidden("unknown user id " + userId));
        if ((Integer) u.get("status") != 0 || (Integer) u.get("usertype") != Users.NORMAL) {
            throw ProjectError.forbidden("User '" + u.get("name") + "' may not manage projects (blocked or not a normal user)");
        }
        return (String) u.get("name");
    }

    private static View view(Map<String, Object> r) {
        return new View((Integer) r.get("id"), new CoprName((String) r.get("owner"), (String) r.get("name")),
                (String) r.get("description"), (String) r.get("instructions"), lines(r.get("chroots")), lines(r.get("repos")),
                (Boolean) r.get("enable_net"), (Boolean) r.get("unlisted"), (Instant) r.get("create_time"));
    }

    static List<String> lines(Object text) {
        return text == null || ((String) text).isEmpty() ? List.of() : List.of(((String) text).split("\n"));
    }
}

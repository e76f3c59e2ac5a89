package org.fedorabuild.hub.namespace;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.db.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copr projects and their chroots, and the Koji tags, inheritance and targets that represent them
 * (see {@link CoprName} for the naming). Creating or extending a project writes all of them in the
 * caller's transaction, so clients never see a project without its tags.
 */
public final class Projects {
    private static final Logger LOG = LoggerFactory.getLogger(Projects.class);

    private final Db db;
    private final Users users;

    public Projects(Db db, Users users) {
        this.db = db;
        this.users = users;
    }

    /** A project with its id, name and project tag id. */
    public record Project(int id, CoprName name, int tagId) {
    }

    public Optional<Project> find(CoprName name) {
        return db.queryOne("SELECT p.id, t.id AS tag_id FROM projects p JOIN users u ON u.id = p.owner_id"
                + " JOIN tags t ON t.project_id = p.id AND t.chroot_id IS NULL WHERE u.name = ? AND p.name = ?",
                name.owner(), name.project())
                .map(r -> new Project((Integer) r.get("id"), name, (Integer) r.get("tag_id")));
    }

    /** The project a tag (project or chroot tag) belongs to. */
    public Optional<Project> ofTag(int tagId) {
        return db.queryOne("SELECT p.id, u.name AS owner, p.name, pt.id AS tag_id FROM tags t"
                + " JOIN projects p ON p.id = t.project_id JOIN users u ON u.id = p.owner_id"
                + " JOIN tags pt ON pt.project_id = p.id AND pt.chroot_id IS NULL WHERE t.id = ?", tagId)
                .map(r -> new Project((Integer) r.get("id"), new CoprName((String) r.get("owner"), (String) r.get("name")),
                        (Integer) r.get("tag_id")));
    }

    /**
     * Creates the project (when new) and adds the chroots it lacks; returns the project. The owner
     * must exist: a user for {@code owner/x}, a group for {@code @group/x}.
     */
    public Project create(CoprName name, List<String> chroots, String description) {
        var owner = users.byName(name.owner()).orElseThrow(() -> new GenericError(
                (name.groupOwned() ? "No such group: " : "No such user: ") + name.owner()));
        int ownerType = (Integer) owner.get("usertype");
        if (name.groupOwned() != (ownerType == Users.GROUP) || ownerType == Users.HOST) {
            throw new GenericError(name.owner() + " cannot own projects");
        }
        for (String c : chroots) {
            CoprName.chrootArch(c);
        }
        Project project = find(name).orElse(null);
        if (project == null) {
            int id = db.insert("INSERT INTO projects (owner_id, name, description) VALUES (?, ?, ?) RETURNING id",
                    owner.get("id"), name.project(), description);
            int tagId = db.insert("INSERT INTO tags (name, project_id) VALUES (?, ?) RETURNING id", name.tagName(), id);
            db.insert("INSERT INTO build_targets (name, build_tag, dest_tag) VALUES (?, ?, ?) RETURNING id",
                    name.tagName(), tagId, tagId);
            project = new Project(id, name, tagId);
            LOG.info("Project {} - created (tag and target id {})", name, tagId);
        }
        for (String chroot : chroots) {
            addChroot(project, chroot);
        }
        refreshArches(project);
        return project;
    }

    private void addChroot(Project p, String chroot) {
        if (db.queryOne("SELECT 1 FROM project_chroots WHERE project_id = ? AND name = ?", p.id(), chroot).isPresent()) {
            return;
        }
        String arch = CoprName.chrootArch(chroot);
        int chrootId = db.insert("INSERT INTO project_chroots (project_id, name, arch) VALUES (?, ?, ?) RETURNING id",
                p.id(), chroot, arch);
        String tagName = p.name().chrootTagName(chroot);
        int tagId = db.insert("INSERT INTO tags (name, project_id, chroot_id, arches) VALUES (?, ?, ?, ?) RETURNING id",
                tagName, p.id(), chrootId, arch);
        db.update("INSERT INTO tag_inheritance (tag_id, parent_id) VALUES (?, ?)", tagId, p.tagId());
        db.insert("INSERT INTO build_targets (name, build_tag, dest_tag) VALUES (?, ?, ?) RETURNING id",
                tagName, tagId, p.tagId());
        LOG.info("Project {} - added chroot {} (tag and target {})", p.name(), chroot, tagName);
    }

    /** The project tag's arches are the union of its chroots' arches. */
    private void refreshArches(Project p) {
        LinkedHashSet<String> arches = new LinkedHashSet<>();
        for (var r : db.query("SELECT arch FROM project_chroots WHERE project_id = ? AND enabled ORDER BY id", p.id())) {
            arches.add((String) r.get("arch"));
        }
        db.update("UPDATE tags SET arches = ? WHERE id = ?", arches.isEmpty() ? null : String.join(" ", arches), p.tagId());
    }

    /**
     * The fault for a build target that does not exist; names the project when the target was one of a
     * deleted project's (copr-hub project delete).
     */
    public GenericError noSuchTarget(String target) {
        String[] parts = target.split("/");
        if (parts.length >= 2 && db.queryOne("SELECT 1 FROM projects p JOIN users u ON u.id = p.owner_id WHERE u.name = ?"
                + " AND starts_with(p.name, ?) AND p.deleted_time IS NOT NULL", parts[0], parts[1] + "~deleted~").isPresent()) {
            return new GenericError("No such build target: " + target + " (project " + parts[0] + "/" + parts[1] + " was deleted)");
        }
        return new GenericError("No such build target: " + target);
    }

    public List<String> chroots(int projectId) {
        List<String> names = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT name FROM project_chroots WHERE project_id = ? ORDER BY name", projectId)) {
            names.add((String) r.get("name"));
        }
        return names;
    }

    /** Grants a Copr role ({@code admin} or {@code builder}) in the project to a user or group. */
    public void grant(Project p, int userId, String role) {
        if (!role.equals("admin") && !role.equals("builder")) {
            throw new GenericError("unknown project role '" + role + "': expected admin or builder");
        }
        db.update("INSERT INTO project_perms (project_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                p.id(), userId, role);
    }
}

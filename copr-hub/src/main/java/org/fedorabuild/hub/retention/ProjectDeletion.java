package org.fedorabuild.hub.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.namespace.CoprName;
import org.fedorabuild.hub.task.TaskOutputs;
import org.fedorabuild.hub.task.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deleting a project ({@code copr-hub project delete}, {@code coprDeleteProject}), crash-safe like a prune:
 * <ol>
 * <li>one transaction marks the project deleted ({@code deleted_time}; the row is renamed
 * {@code NAME~deleted~ID} and its tags likewise, its targets dropped, so the name can be created again),
 * cancels its FREE/OPEN/ASSIGNED tasks through {@link Tasks#cancel} (builders stop), marks all its builds
 * DELETED and untags them, expires its repos and writes a {@code prune_journal} row of kind
 * {@code project};</li>
 * <li>holding the prune lock, each chroot directory is deleted under its repository lock, then the
 * project's results directory (with its .repo file), and the RPMs of its build tasks' outputs (logs
 * stay);</li>
 * <li>the journal row gets its {@code finish_time}.</li>
 * </ol>
 * The next prune or hub start finishes a deletion interrupted after step 1. Uploads are per user and stay.
 */
public final class ProjectDeletion {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectDeletion.class);
    public static final String DELETED_MARK = "~deleted~";

    private final Db db;
    private final Path storageRoot;
    private final TaskOutputs outputs;
    private final AdvisoryLocks locks;
    private final Tasks tasks;
    private volatile Runnable afterMark = () -> { };

    /** What a deletion removes (or removed). */
    public record Summary(int projectId, String name, long builds, List<String> chroots, long bytes, List<Integer> activeChains,
            int canceledTasks) {
        public String describe() {
            return name + ": " + builds + " build(s), chroots " + (chroots.isEmpty() ? "(none)" : String.join(" ", chroots)) + ", "
                    + PruneItem.human(bytes) + " (" + bytes + " bytes)";
        }
    }

    public ProjectDeletion(Db db, Path storageRoot, TaskOutputs outputs, AdvisoryLocks locks) {
        this.db = db;
        this.storageRoot = storageRoot.toAbsolutePath().normalize();
        this.outputs = outputs;
        this.locks = locks;
        this.tasks = new Tasks(db);
    }

    /** Test seam: runs between the database phase and the file phase (throw to simulate a crash there). */
    public void afterMark(Runnable r) {
        this.afterMark = r;
    }

    /** What deleting the (live) project would remove; GenericError when there is no such project. */
    public Summary summary(CoprName name) {
        var p = db.queryOne("SELECT p.id FROM projects p JOIN users u ON u.id = p.owner_id WHERE u.name = ? AND p.name = ?"
                + " AND p.deleted_time IS NULL", name.owner(), name.project())
                .orElseThrow(() -> new GenericError("No such project: " + name));
        int id = (Integer) p.get("id");
        long builds = ((Number) db.scalar("SELECT count(*) FROM builds WHERE project_id = ? AND state <> 2", id).orElse(0L)).longValue();
        List<String> chroots = new ArrayList<>();
        db.query("SELECT name FROM project_chroots WHERE project_id = ? ORDER BY name", id).forEach(r -> chroots.add((String) r.get("name")));
        List<Integer> chains = new ArrayList<>();
        if (db.scalar("SELECT to_regclass('chains') IS NOT NULL").map(Boolean.TRUE::equals).orElse(false)) {
            db.query("SELECT task_id FROM chains WHERE project_id = ? AND state IN ('PLANNING', 'BUILDING') ORDER BY task_id", id)
                    .forEach(r -> chains.add((Integer) r.get("task_id")));
        }
        return new Summary(id, name.toString(), builds, chroots, StorageFiles.size(projectDir(name)), chains, 0);
    }

    Path projectDir(CoprName name) {
        return storageRoot.resolve(name.owner()).resolve(name.project());
    }

    /**
     * Deletes the project: the database phase (in its own transaction, or the caller's), then the files.
     * Refuses a project with an active chain unless {@code force} (which cancels the chain).
     */
    public Summary delete(CoprName name, boolean force) throws IOException, InterruptedException {
        Summary s = db.tx(() -> mark(name, force));
        afterMark.run();
        finishPending();
        return s;
    }

    /** Phase 1, in the caller's transaction. */
    public Summary mark(CoprName name, boolean force) {
        Summary s = summary(name);
        int id = s.projectId();
        db.queryOne("SELECT id FROM projects WHERE id = ? AND deleted_time IS NULL FOR UPDATE", id)
                .orElseThrow(() -> new GenericError("No such project: " + name));
        if (!s.activeChains().isEmpty()) {
            if (!force) {
                throw new GenericError("project " + name + " has an active chain (" + s.activeChains().stream().map(String::valueOf)
                        .reduce((a, b) -> a + ", " + b).orElse("") + "): not deleted; --force cancels it");
            }
            for (int chain : s.activeChains()) {
                tasks.cancel(chain, true);
                db.update("UPDATE chains SET state = 'CANCELED', completion_time = now(), message = ? WHERE task_id = ?",
                        "project " + name + " was deleted", chain);
            }
        }
        int canceled = 0;
        for (var r : db.query("SELECT id FROM tasks WHERE project_id = ? AND state IN (0, 1, 4) ORDER BY id", id)) {
            if (tasks.cancel((Integer) r.get("id"), true)) {
                canceled++;
            }
        }
        db.update("DELETE FROM tag_listing WHERE tag_id IN (SELECT id FROM tags WHERE project_id = ?)"
                + " OR build_id IN (SELECT id FROM builds WHERE project_id = ?)", id, id);
        db.update("UPDATE builds SET state = 2, completion_time = coalesce(completion_time, now()) WHERE project_id = ? AND state <> 2", id);
        // nothing of it is to be published any more (a hub start would otherwise recreate its directories)
        db.update("UPDATE build_results SET published = true WHERE NOT published AND chroot_id IN"
                + " (SELECT id FROM project_chroots WHERE project_id = ?)", id);
        db.update("UPDATE repos SET state = 2 WHERE state = 1 AND tag_id IN (SELECT id FROM tags WHERE project_id = ?)", id);
        db.update("DELETE FROM build_targets WHERE build_tag IN (SELECT id FROM tags WHERE project_id = ?)"
                + " OR dest_tag IN (SELECT id FROM tags WHERE project_id = ?)", id, id);
        String oldTag = name.tagName();
        String newTag = oldTag + DELETED_MARK + id;
        db.update("UPDATE tags SET name = ? || substr(name, ?) WHERE project_id = ?", newTag, oldTag.length() + 1, id);
        db.update("UPDATE projects SET deleted_time = now(), name = name || ? WHERE id = ?", DELETED_MARK + id, id);
        db.update("INSERT INTO prune_journal (kind, project_id, nvr, size, logs, build_dir) VALUES ('project', ?, ?, ?, 'keep', ?)",
                id, name.toString(), s.bytes(), name.owner() + "/" + name.project());
        LOG.info("Project {} - marked deleted ({} build(s), {} task(s) canceled)", name, s.builds(), canceled);
        return new Summary(id, s.name(), s.builds(), s.chroots(), s.bytes(), s.activeChains(), canceled);
    }

    /** Phases 2 and 3 for every unfinished deletion (takes the prune lock). */
    public List<String> finishPending() throws IOException, InterruptedException {
        try (AdvisoryLocks.Held held = locks.prune()) {
            return finishPendingLocked();
        }
    }

    /** Phases 2 and 3, the prune lock held; returns the names of the projects finished. */
    List<String> finishPendingLocked() throws IOException, InterruptedException {
        List<String> done = new ArrayList<>();
        for (var r : db.query("SELECT id, project_id, nvr, build_dir FROM prune_journal WHERE kind = 'project' AND finish_time IS NULL"
                + " ORDER BY id")) {
            String rel = (String) r.get("build_dir");
            Path dir = storageRoot.resolve(rel).normalize();
            if (rel == null || rel.isBlank() || !dir.startsWith(storageRoot) || dir.getNameCount() - storageRoot.getNameCount() != 2) {
                throw new IllegalStateException("prune_journal " + r.get("id") + ": refusing to delete '" + rel + "'");
            }
            if (Files.isDirectory(dir)) {
                List<Path> chroots;
                try (Stream<Path> s = Files.list(dir)) {
                    chroots = s.filter(Files::isDirectory).toList();
                }
                for (Path chroot : chroots) {
                    locks.locked(chroot, () -> StorageFiles.deleteTree(chroot));
                }
                StorageFiles.deleteTree(dir);
            }
            for (var t : db.query("SELECT id FROM tasks WHERE project_id = ? AND method = 'buildArch' ORDER BY id", r.get("project_id"))) {
                StorageFiles.pruneTaskOutputs(outputs.dir((Integer) t.get("id")), LogAction.KEEP);
            }
            db.update("UPDATE prune_journal SET finish_time = now() WHERE id = ?", r.get("id"));
            LOG.info("Project {} - deleted: {} removed", r.get("nvr"), dir);
            done.add((String) r.get("nvr"));
        }
        return done;
    }
}

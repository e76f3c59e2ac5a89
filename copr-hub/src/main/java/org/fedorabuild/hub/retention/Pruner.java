package org.fedorabuild.hub.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.repo.RepoPublisher;
import org.fedorabuild.hub.task.TaskOutputs;
import org.fedorabuild.hub.task.TaskPayloads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the retention policy. A prune runs in three phases so that a crash at any point leaves a state
 * the next prune (or hub start) completes:
 * <ol>
 * <li>one transaction re-checks the guards and marks the chosen builds DELETED (Koji's state 2, untagged
 * as Koji's deleteBuild leaves them) with one {@code prune_journal} row each (also for failed and scratch
 * task outputs);</li>
 * <li>per chroot, holding its repository lock: the results directories are deleted and the task outputs
 * pruned (idempotent), then the repository is regenerated once, atomically, and a READY repo recorded;</li>
 * <li>the journal rows get their {@code finish_time}.</li>
 * </ol>
 * Only one prune runs at a time (a PostgreSQL advisory lock), whichever process runs it.
 */
public final class Pruner {
    private static final Logger LOG = LoggerFactory.getLogger(Pruner.class);

    private final Db db;
    private final Path storageRoot;
    private final TaskOutputs outputs;
    private final RepoPublisher publisher;
    private final AdvisoryLocks locks;
    private final ProjectRetention projects;
    private final RetentionGuard guard;
    private final ProjectDeletion deletions;
    private volatile Runnable afterMark = () -> { };

    /** What one run did (or, dry, would do). */
    public record Report(boolean dryRun, List<PruneItem> items, List<String> repos) {
        public long bytes() {
            return items.stream().mapToLong(PruneItem::size).sum();
        }

        public List<String> lines() {
            List<String> out = new ArrayList<>();
            items.forEach(i -> out.add(i.line(dryRun ? "would remove" : "removed")));
            out.add(String.format("total: %d build(s), %s%s", items.size(), PruneItem.human(bytes()),
                    dryRun ? " would be freed (dry run: nothing changed)" : " freed"
                            + (repos.isEmpty() ? "" : ", " + repos.size() + " repositor" + (repos.size() == 1 ? "y" : "ies")
                                    + " regenerated")));
            return out;
        }
    }

    public Pruner(Db db, Path storageRoot, TaskOutputs outputs, RepoPublisher publisher, AdvisoryLocks locks, Policy hubPolicy) {
        this.db = db;
        this.storageRoot = storageRoot.toAbsolutePath().normalize();
        this.outputs = outputs;
        this.publisher = publisher;
        this.locks = locks;
        this.projects = new ProjectRetention(db, hubPolicy);
        this.guard = new RetentionGuard(db);
        this.deletions = new ProjectDeletion(db, storageRoot, outputs, locks);
    }

    /** Test seam: runs between the database phase and the file phase (throw to simulate a crash there). */
    public void afterMark(Runnable r) {
        this.afterMark = r;
    }

    public Report run(boolean dryRun) throws IOException, InterruptedException {
        if (dryRun) {
            return new Report(true, select(), List.of());
        }
        try (AdvisoryLocks.Held held = locks.prune()) {
            List<String> repos = new ArrayList<>();
            List<PruneItem> done = new ArrayList<>(finishPendingLocked(repos));
            List<PruneItem> marked = db.tx(() -> mark(select()));
            LOG.info("Prune - marked {} build(s) and task(s) deleted", marked.size());
            afterMark.run();
            done.addAll(finishPendingLocked(repos));
            return new Report(false, done, repos);
        }
    }

    /** Finishes what an interrupted prune left (hub start). */
    public List<PruneItem> finishPending() throws IOException, InterruptedException {
        try (AdvisoryLocks.Held held = locks.prune()) {
            return finishPendingLocked(new ArrayList<>());
        }
    }

    /** What the policy removes now, guards applied, in project/chroot/NVR order. */
    List<PruneItem> select() throws IOException {
        RetentionGuard.Protected prot = guard.snapshot();
        Map<Integer, Policy> policies = new HashMap<>();
        List<PruneItem> items = new ArrayList<>();
        for (var r : db.query("SELECT b.id, b.arch_task_id, b.task_id, b.project_id, b.chroot_id,"
                + " pk.name || '-' || b.version || '-' || b.release AS nvr, u.name || '/' || p.name AS project, pc.name AS chroot,"
                + " br.dir, br.published, row_number() OVER (PARTITION BY b.chroot_id, b.package_id"
                + " ORDER BY b.completion_time DESC NULLS LAST, b.id DESC) AS rank"
                + " FROM builds b JOIN packages pk ON pk.id = b.package_id JOIN projects p ON p.id = b.project_id"
                + " JOIN users u ON u.id = p.owner_id JOIN project_chroots pc ON pc.id = b.chroot_id"
                + " LEFT JOIN build_results br ON br.task_id = b.arch_task_id"
                + " WHERE b.state = 1 AND p.deleted_time IS NULL ORDER BY project, chroot, nvr, b.id")) {
            int project = (Integer) r.get("project_id");
            Policy policy = policies.computeIfAbsent(project, projects::effective);
            long rank = ((Number) r.get("rank")).longValue();
            // rank 1 is the newest build of the package in the chroot: what its repository serves
            if (policy.keepBuilds() == 0 || rank <= Math.max(1, policy.keepBuilds()) || r.get("dir") == null
                    || !Boolean.TRUE.equals(r.get("published")) || prot.covers(project, (Integer) r.get("task_id"), true)) {
                continue;
            }
            int task = (Integer) r.get("arch_task_id");
            String dir = (String) r.get("dir");
            long size = StorageFiles.size(storageRoot.resolve(dir)) + StorageFiles.taskBytes(outputs.dir(task), policy.logs());
            items.add(new PruneItem("build", (Integer) r.get("id"), task, project, (Integer) r.get("chroot_id"),
                    (String) r.get("nvr"), (String) r.get("project"), (String) r.get("chroot"), size, policy.logs(), dir));
        }
        Map<Integer, Map<String, Object>> chroots = new HashMap<>();
        for (var r : db.query("SELECT t.id, t.state, t.parent, t.project_id, t.request, u.name || '/' || p.name AS project,"
                + " extract(epoch FROM now() - t.completion_time) / 86400 AS age_days,"
                + " EXISTS (SELECT 1 FROM builds b WHERE b.arch_task_id = t.id) AS has_build"
                + " FROM tasks t JOIN projects p ON p.id = t.project_id JOIN users u ON u.id = p.owner_id"
                + " WHERE t.method = 'buildArch' AND t.state IN (2, 3, 5) AND t.completion_time IS NOT NULL"
                + " AND NOT EXISTS (SELECT 1 FROM prune_journal j WHERE j.task_id = t.id) ORDER BY t.id")) {
            int state = (Integer) r.get("state");
            if (state == 2 && Boolean.TRUE.equals(r.get("has_build"))) {
                continue; // a build's task: pruned with its build
            }
            String kind = state == 2 ? "scratch" : "failed";
            int project = (Integer) r.get("project_id");
            Policy policy = policies.computeIfAbsent(project, projects::effective);
            int days = kind.equals("scratch") ? policy.scratchDays() : policy.failedDays();
            if (days == 0 || ((Number) r.get("age_days")).doubleValue() < days
                    || prot.covers(project, (Integer) r.get("parent"), false)) {
                continue;
            }
            int task = (Integer) r.get("id");
            List<Object> req = TaskPayloads.decodeRequest((String) r.get("request"));
            String srpm = Path.of(String.valueOf(req.get(0))).getFileName().toString();
            Map<String, Object> chroot = chroots.computeIfAbsent(((Number) req.get(1)).intValue(), tag -> db.queryOne(
                    "SELECT pc.id, pc.name FROM tags t JOIN project_chroots pc ON pc.id = t.chroot_id WHERE t.id = ?", tag)
                    .orElse(Map.of()));
            items.add(new PruneItem(kind, null, task, project, (Integer) chroot.get("id"), srpm.replaceAll("\\.src\\.rpm$", ""),
                    (String) r.get("project"), (String) chroot.get("name"), StorageFiles.taskBytes(outputs.dir(task), policy.logs()),
                    policy.logs(), null));
        }
        return items;
    }

    /** Phase 1, in the caller's transaction: guards re-checked, builds DELETED and untagged, journal rows written. */
    private List<PruneItem> mark(List<PruneItem> items) {
        RetentionGuard.Protected prot = guard.snapshot();
        List<PruneItem> marked = new ArrayList<>();
        for (PruneItem i : items) {
            if (i.buildId() != null) {
                Integer parent = (Integer) db.scalar("SELECT task_id FROM builds WHERE id = ?", i.buildId()).orElse(null);
                if (prot.covers(i.projectId(), parent, true)
                        || db.update("UPDATE builds SET state = 2 WHERE id = ? AND state = 1", i.buildId()) == 0) {
                    continue;
                }
                db.update("DELETE FROM tag_listing WHERE build_id = ?", i.buildId());
            }
            if (db.update("INSERT INTO prune_journal (kind, build_id, task_id, project_id, chroot_id, nvr, size, logs, build_dir)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (task_id) DO NOTHING", i.kind(), i.buildId(), i.taskId(),
                    i.projectId(), i.chrootId(), i.nvr(), i.size(), i.logs().key(), i.buildDir()) == 1) {
                marked.add(i);
            }
        }
        return marked;
    }

    /** Phases 2 and 3 for every unfinished journal row, chroot by chroot. */
    private List<PruneItem> finishPendingLocked(List<String> repos) throws IOException, InterruptedException {
        // project deletions (copr-hub project delete) an interruption left half done
        deletions.finishPendingLocked();
        Map<String, List<Map<String, Object>>> byChroot = new LinkedHashMap<>();
        for (var r : db.query("SELECT j.*, u.name AS owner, p.name AS pname, pc.name AS chroot FROM prune_journal j"
                + " JOIN projects p ON p.id = j.project_id JOIN users u ON u.id = p.owner_id"
                + " LEFT JOIN project_chroots pc ON pc.id = j.chroot_id WHERE j.finish_time IS NULL AND j.kind <> 'project' ORDER BY j.id")) {
            byChroot.computeIfAbsent(r.get("owner") + "/" + r.get("pname") + "/" + r.get("chroot"), k -> new ArrayList<>()).add(r);
        }
        List<PruneItem> done = new ArrayList<>();
        for (var e : byChroot.entrySet()) {
            List<Map<String, Object>> rows = e.getValue();
            Path chrootDir = storageRoot.resolve(e.getKey());
            boolean builds = rows.stream().anyMatch(r -> r.get("build_id") != null);
            RepoLockWork work = () -> {
                for (var r : rows) {
                    if (r.get("build_dir") != null) {
                        StorageFiles.deleteTree(storageRoot.resolve((String) r.get("build_dir")));
                    }
                    StorageFiles.pruneTaskOutputs(outputs.dir((Integer) r.get("task_id")), LogAction.parse((String) r.get("logs")));
                }
                if (builds && Files.isDirectory(chrootDir)) {
                    publisher.regenerateLocked(chrootDir);
                }
            };
            if (builds) {
                locks.locked(chrootDir, work::run);
            } else {
                work.run();
            }
            Integer[] ids = rows.stream().map(r -> (Integer) r.get("id")).toArray(Integer[]::new);
            db.tx(() -> {
                if (builds && Files.isDirectory(chrootDir)) {
                    db.scalar("SELECT t.id FROM tags t WHERE t.chroot_id = ?", rows.get(0).get("chroot_id")).ifPresent(tag -> {
                        db.update("UPDATE repos SET state = 2 WHERE tag_id = ? AND state = 1", tag);
                        db.insert("INSERT INTO repos (tag_id, state) VALUES (?, 1) RETURNING id", tag);
                    });
                }
                db.update("UPDATE prune_journal SET finish_time = now() WHERE id = ANY(?)", (Object) ids);
                return null;
            });
            if (builds && Files.isDirectory(chrootDir)) {
                repos.add(e.getKey());
                LOG.info("[repo={}] regenerated after pruning {} build(s)", e.getKey(),
                        rows.stream().filter(r -> r.get("build_id") != null).count());
            }
            for (var r : rows) {
                done.add(new PruneItem((String) r.get("kind"), (Integer) r.get("build_id"), (Integer) r.get("task_id"),
                        (Integer) r.get("project_id"), (Integer) r.get("chroot_id"), (String) r.get("nvr"),
                        r.get("owner") + "/" + r.get("pname"), (String) r.get("chroot"), ((Number) r.get("size")).longValue(),
                        LogAction.parse((String) r.get("logs")), (String) r.get("build_dir")));
            }
        }
        return done;
    }

    @FunctionalInterface
    private interface RepoLockWork {
        void run() throws IOException, InterruptedException;
    }
}

package org.fedorabuild.hub.retention;

import java.util.HashSet;
import java.util.Set;
import org.fedorabuild.hub.db.Db;

/**
 * What a prune must never touch, whatever the policy says: builds and tasks a running chain may still
 * build against or retry, and builds whose own task tree is still running. The newest build of each
 * package in each chroot (what its repository serves) and unpublished builds are kept by the selection
 * itself ({@link Pruner}).
 *
 * <p>Chains (migration 003: {@code chains}, {@code chain_members}) are read only when those tables exist,
 * so retention works on a schema without them. A chain in state PLANNING or BUILDING protects every
 * COMPLETE build of its project (later members build against that repository) and its members' tasks.
 */
public final class RetentionGuard {
    private final Db db;

    public RetentionGuard(Db db) {
        this.db = db;
    }

    /** What is protected right now. */
    public record Protected(Set<Integer> projects, Set<Integer> tasks) {
        /** True when a build ({@code parentTask}: its {@code build} task) or a task under it must stay. */
        public boolean covers(int projectId, Integer parentTask, boolean wholeProject) {
            return (wholeProject && projects.contains(projectId)) || (parentTask != null && tasks.contains(parentTask));
        }
    }

    public Protected snapshot() {
        Set<Integer> projects = new HashSet<>();
        Set<Integer> tasks = new HashSet<>();
        // parents still running: their builds may be awaited (wait_builds, chains of plain builds)
        for (var r : db.query("SELECT id FROM tasks WHERE method = 'build' AND state IN (0, 1, 4)")) {
            tasks.add((Integer) r.get("id"));
        }
        if (tableExists("chain_members") && tableExists("chains")) {
            for (var r : db.query("SELECT c.project_id, cm.build_task_id FROM chains c LEFT JOIN chain_members cm"
                    + " ON cm.chain_id = c.task_id WHERE c.state IN ('PLANNING', 'BUILDING')")) {
                projects.add((Integer) r.get("project_id"));
                if (r.get("build_task_id") != null) {
                    tasks.add((Integer) r.get("build_task_id"));
                }
            }
        }
        return new Protected(projects, tasks);
    }

    private boolean tableExists(String name) {
        return db.scalar("SELECT to_regclass(?) IS NOT NULL", name).map(Boolean.TRUE::equals).orElse(false);
    }
}

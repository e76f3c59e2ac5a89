package org.fedorabuild.hub.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.hub.builder.RpmHeaders;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.repo.Results;
import org.fedorabuild.hub.task.TaskPayloads;
import org.fedorabuild.hub.task.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How tasks of a build end. A builder's attempt closes or fails its task only while the task is still OPEN
 * on that builder (one conditional UPDATE): an attempt whose task was canceled, or freed by the watchdog
 * and given to another builder meanwhile, changes nothing, so a result can never reach the repository
 * twice. Closing a successful non-scratch buildArch records its Koji build (one per chroot: the NVR
 * carries the chroot's %dist), the RPMs with sizes and SHA-256, tags it into the project, and queues its
 * publication; a closed buildSRPMFromSCM creates the buildArch children. When the last child ends, the
 * {@code build} parent closes, or fails naming each failed chroot and why.
 */
public final class BuildFlow {
    private static final Logger LOG = LoggerFactory.getLogger(BuildFlow.class);

    private final Db db;
    private final BuildSubmission submission;
    private final Results results;

    public BuildFlow(Db db, BuildSubmission submission, Results results) {
        this.db = db;
        this.submission = submission;
        this.results = results;
    }

    /**
     * Checked in the transaction that ends an attempt, after the task's parent is locked: false when the hub
     * no longer drives the attempt's builder under the lease it started it with (another hub took it over),
     * so the attempt's result is discarded as any stale attempt's is.
     */
    @FunctionalInterface
    public interface Fence {
        boolean holds();
    }

    /** @param srpm work-relative SRPM a buildSRPMFromSCM made, else null */
    public boolean close(int taskId, int hostId, Object result, List<RpmHeaders> rpms, String srpm) {
        return close(taskId, hostId, result, rpms, srpm, null);
    }

    /** As {@link #close(int, int, Object, List, String)} for an attempt under {@code fence} (null: none). */
    public boolean close(int taskId, int hostId, Object result, List<RpmHeaders> rpms, String srpm, Fence fence) {
        Integer recorded = db.tx(() -> {
            Integer parent = lockParent(taskId);
            if (fence != null && !fence.holds()) {
                return -1;
            }
            if (db.update("UPDATE tasks SET state = ?, result = ?, completion_time = now() WHERE id = ? AND state = ?"
                    + " AND host_id = ?", Tasks.CLOSED, TaskPayloads.encodeResult(result), taskId, Tasks.OPEN, hostId) == 0) {
                return -1;
            }
            String method = (String) db.scalar("SELECT method FROM tasks WHERE id = ?", taskId).orElseThrow();
            Integer build = null;
            if (method.equals("buildSRPMFromSCM") && parent != null && isBuild(parent)) {
                // (a chain's own SRPM children are picked up by its driver)
                submission.srpmReady(parent, srpm);
            } else if (method.equals("buildArch") && parent != null && !opt(parent, "scratch") && !rpms.isEmpty()) {
                build = recordBuild(taskId, parent, rpms);
            }
            refreshLoad(hostId);
            if (parent != null) {
                finishParentIfDone(parent);
            }
            return build == null ? 0 : build;
        });
        if (recorded < 0) {
            LOG.info("Task {} - result of this attempt discarded: the task is no longer OPEN on host {} under this hub's lease", taskId, hostId);
            return false;
        }
        LOG.info("Task {} - closed", taskId);
        if (recorded > 0) {
            // After the commit of the caller's transaction too (host.closeTask runs inside its request's):
            // a repository must never be regenerated before the build it lists is recorded.
            db.afterCommit(() -> results.publish(taskId));
        }
        return true;
    }

    public boolean fail(int taskId, int hostId, KojiFault fault) {
        return fail(taskId, hostId, fault, null);
    }

    /** As {@link #fail(int, int, KojiFault)} for an attempt under {@code fence} (null: none). */
    public boolean fail(int taskId, int hostId, KojiFault fault, Fence fence) {
        boolean done = db.tx(() -> {
            Integer parent = lockParent(taskId);
            if (fence != null && !fence.holds()) {
                return false;
            }
            if (db.update("UPDATE tasks SET state = ?, result = ?, completion_time = now() WHERE id = ? AND state = ?"
                    + " AND host_id = ?", Tasks.FAILED, TaskPayloads.encodeFault(fault.code(), fault.getMessage()), taskId,
                    Tasks.OPEN, hostId) == 0) {
                return false;
            }
            refreshLoad(hostId);
            if (parent != null) {
                if (opt(parent, "fail_fast")) {
                    for (var c : db.query("SELECT id FROM tasks WHERE parent = ? AND state IN (0, 1, 4)", parent)) {
                        new Tasks(db).cancel((Integer) c.get("id"), true);
                    }
                }
                finishParentIfDone(parent);
            }
            return true;
        });
        LOG.info("Task {} - {}: {}", taskId, done ? "failed" : "failure of a stale attempt discarded", fault.getMessage());
        return done;
    }

    private boolean isBuild(int parent) {
        return "build".equals(db.scalar("SELECT method FROM tasks WHERE id = ?", parent).orElse(null));
    }

    private Integer lockParent(int taskId) {
        Integer parent = (Integer) db.scalar("SELECT parent FROM tasks WHERE id = ?", taskId).orElse(null);
        if (parent != null) {
            db.query("SELECT id FROM tasks WHERE id = ? FOR UPDATE", parent);
        }
        return parent;
    }

    /** kojid reports its load; for the hosts the hub drives it is the weight of their OPEN tasks. */
    public void refreshLoad(int hostId) {
        db.update("UPDATE hosts SET task_load = (SELECT COALESCE(sum(weight), 0) FROM tasks WHERE host_id = ? AND state IN (1, 4))"
                + " WHERE id = ?", hostId, hostId);
    }

    boolean opt(int parent, String key) {
        List<Object> req = TaskPayloads.decodeRequest((String) db.scalar("SELECT request FROM tasks WHERE id = ?", parent).orElseThrow());
        return req.size() > 2 && req.get(2) instanceof Map<?, ?> m && m.get(key) != null && !Boolean.FALSE.equals(m.get(key))
                && !Integer.valueOf(0).equals(m.get(key)) && !Long.valueOf(0).equals(m.get(key));
    }

    private int recordBuild(int taskId, int parent, List<RpmHeaders> rpms) {
        int root = ((Number) TaskPayloads.decodeRequest((String) db.scalar("SELECT request FROM tasks WHERE id = ?", taskId)
                .orElseThrow()).get(1)).intValue();
        var t = db.queryOne("SELECT t.owner, t.project_id, pc.id AS chroot_id, pc.name AS chroot, u.name AS owner_name,"
                + " p.name AS project, pt.start_time FROM tasks t JOIN tasks pt ON pt.id = t.parent"
                + " JOIN projects p ON p.id = t.project_id JOIN users u ON u.id = p.owner_id"
                + " JOIN tags ct ON ct.id = ? JOIN project_chroots pc ON pc.id = ct.chroot_id WHERE t.id = ?", root, taskId)
                .orElseThrow();
        RpmHeaders src = rpms.stream().filter(RpmHeaders::isSource).findFirst().orElse(null);
        String[] nvr;
        Integer epoch;
        if (src != null) {
            nvr = new String[] {src.name(), src.version(), src.release()};
            epoch = src.epoch();
        } else {
            RpmHeaders any = rpms.get(0);
            String s = any.sourceRpm().replaceAll("\\.src\\.rpm$", "");
            int r = s.lastIndexOf('-');
            int v = s.lastIndexOf('-', r - 1);
            nvr = new String[] {s.substring(0, v), s.substring(v + 1, r), s.substring(r + 1)};
            epoch = any.epoch();
        }
        db.update("INSERT INTO packages (name) VALUES (?) ON CONFLICT (name) DO NOTHING", nvr[0]);
        int pkg = (Integer) db.scalar("SELECT id FROM packages WHERE name = ?", nvr[0]).orElseThrow();
        int projectId = (Integer) t.get("project_id");
        int build = db.insert("INSERT INTO builds (package_id, version, release, epoch, state, task_id, owner_id, project_id,"
                + " start_time, completion_time, chroot_id, arch_task_id) VALUES (?, ?, ?, ?, 1, ?, ?, ?,"
                + " ?, now(), ?, ?) RETURNING id", pkg, nvr[1], nvr[2], epoch, parent,
                t.get("owner"), projectId, t.get("start_time"), t.get("chroot_id"), taskId);
        // builds.source holds the SCM URL or upload name, as Koji's does
        List<Object> req = TaskPayloads.decodeRequest((String) db.scalar("SELECT request FROM tasks WHERE id = ?", parent).orElseThrow());
        db.update("UPDATE builds SET source = ? WHERE id = ?", String.valueOf(req.get(0)), build);
        // named after the Copr build (the `build` parent task), as Copr's results are: 00001234-hello
        String dir = Results.buildDir((String) t.get("owner_name"), (String) t.get("project"), (String) t.get("chroot"), parent, nvr[0]);
        for (RpmHeaders r : rpms) {
            db.update("INSERT INTO rpms (build_id, chroot_id, name, version, release, epoch, arch, size, payloadhash, path, sha256)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", build, t.get("chroot_id"), r.name(), r.version(), r.release(),
                    r.epoch(), r.arch(), r.size(), r.sigmd5(), dir + "/" + r.file().getFileName(), r.sha256());
        }
        int projectTag = (Integer) db.scalar("SELECT id FROM tags WHERE project_id = ? AND chroot_id IS NULL", projectId).orElseThrow();
        db.update("INSERT INTO tag_packages (tag_id, package_id, owner_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", projectTag, pkg,
                t.get("owner"));
        if (!opt(parent, "skip_tag")) {
            db.update("INSERT INTO tag_listing (tag_id, build_id, creator_id) VALUES (?, ?, ?)", projectTag, build, t.get("owner"));
            // and into its chroot's tag, so that tag's latest build (wait-repo, latest-build) is this chroot's
            db.update("INSERT INTO tag_listing (tag_id, build_id, creator_id) VALUES (?, ?, ?)", root, build, t.get("owner"));
        }
        db.update("INSERT INTO build_results (task_id, build_id, chroot_id, dir) VALUES (?, ?, ?, ?)", taskId, build,
                t.get("chroot_id"), dir);
        LOG.info("Task {} - build {} ({}-{}-{}) recorded in {}/{} {}", taskId, build, nvr[0], nvr[1], nvr[2],
                t.get("owner_name"), t.get("project"), t.get("chroot"));
        return build;
    }

    /** Ends an OPEN {@code build} parent whose children have all ended. */
    public void finishParentIfDone(int parent) {
        var p = db.queryOne("SELECT state, method FROM tasks WHERE id = ? FOR UPDATE", parent).orElse(null);
        if (p == null || (Integer) p.get("state") != Tasks.OPEN || !"build".equals(p.get("method"))) {
            return;
        }
        var children = db.query("SELECT id, state, method, label, result FROM tasks WHERE parent = ? ORDER BY id", parent);
        if (children.isEmpty() || children.stream().anyMatch(c -> List.of(0, 1, 4).contains(c.get("state")))) {
            return;
        }
        List<String> failed = new ArrayList<>();
        boolean canceled = false;
        for (var c : children) {
            int state = (Integer) c.get("state");
            if (state == Tasks.FAILED) {
                String why;
                try {
                    TaskPayloads.decodeResult((String) c.get("result"));
                    why = "failed";
                } catch (KojiFault f) {
                    why = f.getMessage();
                }
                failed.add(c.get("method") + " (" + c.get("label") + ", task " + c.get("id") + "): " + why);
            } else if (state == Tasks.CANCELED) {
                canceled = true;
            }
        }
        if (!failed.isEmpty()) {
            db.update("UPDATE tasks SET state = ?, result = ?, completion_time = now() WHERE id = ?", Tasks.FAILED,
                    TaskPayloads.encodeFault(1005, String.join("; ", failed)), parent);
            LOG.info("Task {} - build failed: {}", parent, failed);
        } else if (canceled) {
            db.update("UPDATE tasks SET state = ?, completion_time = now() WHERE id = ?", Tasks.CANCELED, parent);
        } else {
            db.update("UPDATE tasks SET state = ?, result = ?, completion_time = now() WHERE id = ?", Tasks.CLOSED,
                    TaskPayloads.encodeResult(null), parent);
            LOG.info("Task {} - build completed", parent);
        }
    }

    /** Parents whose last child ended in a transaction that could not see its sibling's: finish them now. */
    public void sweepParents() {
        for (var r : db.query("SELECT p.id FROM tasks p WHERE p.method = 'build' AND p.state = 1 AND EXISTS"
                + " (SELECT 1 FROM tasks c WHERE c.parent = p.id) AND NOT EXISTS (SELECT 1 FROM tasks c WHERE c.parent = p.id"
                + " AND c.state IN (0, 1, 4))")) {
            db.tx(() -> {
                finishParentIfDone((Integer) r.get("id"));
                return null;
            });
        }
    }
}

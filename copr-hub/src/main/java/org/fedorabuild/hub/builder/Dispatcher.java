package org.fedorabuild.hub.builder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.time.Duration;
import org.fedorabuild.hub.schedule.Periodic;
import java.util.concurrent.TimeUnit;
import org.fedorabuild.hub.build.BuildFlow;
import org.fedorabuild.hub.config.BuildSettings;
import org.fedorabuild.hub.db.DatabaseOutage;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.task.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the builds of the hosts this hub drives (SSH builders, and the local one with
 * {@code serve --local-builder}). Every {@code DispatchInterval} it gives FREE buildArch and
 * buildSRPMFromSCM tasks, by priority then age, to enabled, reachable hosts of the right arch (noarch fits
 * all) with spare capacity, marks them OPEN there and runs them on a worker pool; it kills the runs whose
 * task was canceled, or freed and re-hosted, meanwhile (as kojid does); it finishes parents. Every
 * {@code HostCheckInterval} it checks each host in, keeping update_ts, ready and task_load as kojid does.
 *
 * <p>The watchdog contract: a build whose builder stops answering is never failed or freed here. Its
 * task stays OPEN on that host and the host's update_ts stops advancing; an external watchdog
 * (kojira-watchdog) frees it with {@code freeTask}, and a FREE task is dispatched again. At start, tasks
 * OPEN on hosts this hub drives are killed on their builder and re-queued (or, when the builder cannot be
 * reached, left to the watchdog); results only ever come from the attempt that closes the task.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final Db db;
    private final BuildSettings settings;
    private final TaskRunner runner;
    private final Path localWorkRoot;
    private final Integer localHostId;
    private final Map<Integer, HostDriver> drivers = new ConcurrentHashMap<>();
    private final Map<Integer, HostDriver> running = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> killed = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newCachedThreadPool(daemon("build-worker"));
    private Periodic loop;
    /** Check-ins run apart from the dispatcher round, at most one per host at a time: a hanging host delays nobody. */
    private final ExecutorService checks = Executors.newCachedThreadPool(daemon("host-check"));
    private final Map<Integer, Boolean> checking = new ConcurrentHashMap<>();
    private volatile int maxBuildsPerOwner;
    private volatile AssignListener listener = (task, host, c) -> { };

    /** Told of each task given to a builder (metrics: queue wait per owner). */
    public interface AssignListener {
        void assigned(int taskId, String host, org.fedorabuild.hub.pool.FairQueue.Candidate task);
    }

    /** Builds of one owner running at once ({@code MaxBuildsPerOwner}; 0: no limit). */
    public void setMaxBuildsPerOwner(int limit) {
        this.maxBuildsPerOwner = limit;
    }

    public void setListener(AssignListener listener) {
        this.listener = listener;
    }

    /** @param localHostId the host {@code serve --local-builder} registered, driven with a local transport; or null */
    public Dispatcher(Db db, BuildSettings settings, TaskRunner runner, Path localWorkRoot, Integer localHostId) {
        this.db = db;
        this.settings = settings;
        this.runner = runner;
        this.localWorkRoot = localWorkRoot;
        this.localHostId = localHostId;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public void start() {
        syncHosts();
        drivers.values().forEach(d -> d.check(settings.sshConnectTimeout()));
        drivers.values().forEach(this::checkIn);
        recover();
        long tick = settings.dispatchInterval().toMillis();
        loop = Periodic.every("dispatcher", Duration.ofMillis(tick), Duration.ofMillis(tick), this::tick)
                .alsoEvery("host-checks", settings.hostCheckInterval(), this::checkAll);
        LOG.info("Dispatcher - started: {} host(s) driven, every {} ms", drivers.size(), tick);
    }

    /** Tasks left OPEN on our hosts by a previous hub process: kill what may still run there, then re-queue. */
    private void recover() {
        for (var t : db.query("SELECT id, host_id FROM tasks WHERE state = 1 AND host_id IS NOT NULL"
                + " AND method IN ('buildArch', 'buildSRPMFromSCM', 'readSrpmDeps') ORDER BY id")) {
            HostDriver d = drivers.get((Integer) t.get("host_id"));
            if (d == null) {
                continue;
            }
            int id = (Integer) t.get("id");
            try {
                new BuildExecution(d.transport, BuildBackend.RPMBUILD).cancel(id);
            } catch (Exception e) {
                LOG.warn("Task {} - left OPEN on unreachable host {} after restart (the watchdog frees it): {}", id, d.name,
                        e.getMessage());
                continue;
            }
            db.tx(() -> db.update("UPDATE tasks SET state = 0, host_id = NULL, start_time = NULL WHERE id = ? AND state = 1"
                    + " AND host_id = ?", id, d.id));
            LOG.info("Task {} - re-queued: its run on {} was interrupted by a hub restart", id, d.name);
        }
    }

    private void syncHosts() {
        var rows = db.query("SELECT id, name, driver, backend, arches, capacity, enabled, ssh_user, ssh_host, ssh_port, ssh_host_key"
                + " FROM hosts WHERE driver = 'ssh' OR id = ?", localHostId == null ? -1 : localHostId);
        // A host no longer driven (a retired pool builder) is dropped once nothing of ours runs on it.
        java.util.Set<Integer> listed = new java.util.HashSet<>();
        rows.forEach(h -> listed.add((Integer) h.get("id")));
        for (var id : List.copyOf(drivers.keySet())) {
            if (!listed.contains(id) && !running.containsValue(drivers.get(id))) {
                HostDriver gone = drivers.remove(id);
                LOG.info("Host {} - no longer driven by this hub", gone.name);
                gone.close();
            }
        }
        for (var h : rows) {
            int id = (Integer) h.get("id");
            HostDriver d = drivers.computeIfAbsent(id, k -> {
                BuilderTransport t = "ssh".equals(h.get("driver"))
                        ? new SshTransport(new SshTransport.Target((String) h.get("ssh_user"), (String) h.get("ssh_host"),
                                (Integer) h.get("ssh_port")), settings.sshKey(), settings.sshKnownHosts(),
                                (String) h.get("ssh_host_key"), settings.sshConnectTimeout(), "copr-hub-builder")
                        : new LocalTransport(localWorkRoot);
                String backend = h.get("backend") != null ? (String) h.get("backend") : settings.buildBackend();
                HostDriver nd = new HostDriver(id, (String) h.get("name"), t, backend);
                checkAsync(nd);
                return nd;
            });
            d.arches = List.of(((String) h.get("arches")).trim().split("\\s+"));
            d.capacity = (Double) h.get("capacity");
            d.enabled = (Boolean) h.get("enabled");
        }
    }

    private void checkAll() {
        drivers.values().forEach(this::checkAsync);
    }

    private void checkAsync(HostDriver d) {
        if (checking.putIfAbsent(d.id, true) != null) {
            return;
        }
        checks.execute(() -> {
            try {
                d.check(settings.sshConnectTimeout());
                checkIn(d);
            } catch (RuntimeException e) {
                LOG.error("Host {} - check failed; next check on schedule", d.name, e);
            } finally {
                checking.remove(d.id);
            }
        });
    }

    /** What kojid's host.updateHost records: last check-in time (only when reached), ready, task_load. */
    private void checkIn(HostDriver d) {
        try {
            db.tx(() -> {
                if (d.reachable) {
                    db.update("UPDATE hosts SET update_time = now(), task_load = (SELECT COALESCE(sum(weight), 0) FROM tasks"
                            + " WHERE host_id = ? AND state IN (1, 4)) WHERE id = ?", d.id, d.id);
                    db.update("UPDATE hosts SET ready = task_load < capacity WHERE id = ?", d.id);
                } else {
                    db.update("UPDATE hosts SET ready = false WHERE id = ?", d.id);
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("Host {} - cannot record its check-in: {}", d.name, e.toString());
        }
    }

    private void tick() {
        syncHosts();
        reconcile();
        runner.flow().sweepParents();
        assign();
    }

    /** Kills runs whose task is no longer OPEN on their host (canceled, or freed and perhaps re-hosted). */
    private void reconcile() {
        if (running.isEmpty()) {
            return;
        }
        Integer[] ids = running.keySet().toArray(new Integer[0]);
        for (var t : db.query("SELECT id, state, host_id FROM tasks WHERE id = ANY(?)", (Object) ids)) {
            int id = (Integer) t.get("id");
            HostDriver d = running.get(id);
            int state = (Integer) t.get("state");
            boolean gone = state == Tasks.CANCELED || state == Tasks.FREE || state == Tasks.ASSIGNED
                    || (state == Tasks.OPEN && !Integer.valueOf(d == null ? -1 : d.id).equals(t.get("host_id")));
            if (d != null && gone && killed.putIfAbsent(id, true) == null) {
                LOG.info("Task {} - now {}: killing its run on {}", id, Tasks.STATE_NAMES.get((Integer) t.get("state")), d.name);
                workers.execute(() -> {
                    try {
                        new BuildExecution(d.transport, BuildBackend.RPMBUILD).cancel(id);
                    } catch (Exception e) {
                        LOG.warn("Task {} - cannot kill its run on {}: {}", id, d.name, e.getMessage());
                    }
                });
            }
        }
    }

    private void assign() {
        List<Object[]> started = new ArrayList<>();
        db.tx(() -> {
            // Host rows are locked first, so a pool retiring a builder waits for this round, then sees its tasks.
            Map<Integer, Integer> room = new java.util.HashMap<>();
            for (var h : db.query("SELECT h.id, h.enabled, h.max_tasks, h.tasks_taken, (SELECT COALESCE(sum(weight), 0) FROM tasks"
                    + " WHERE host_id = h.id AND state IN (1, 4)) AS load FROM hosts h WHERE h.id = ANY(?) ORDER BY h.id FOR UPDATE",
                    (Object) drivers.keySet().toArray(new Integer[0]))) {
                HostDriver d = drivers.get((Integer) h.get("id"));
                d.load = ((Number) h.get("load")).doubleValue();
                d.enabled = (Boolean) h.get("enabled");
                Integer max = (Integer) h.get("max_tasks");
                room.put(d.id, max == null ? Integer.MAX_VALUE : max - (Integer) h.get("tasks_taken"));
            }
            var placed = org.fedorabuild.hub.pool.FairQueue.offer(org.fedorabuild.hub.pool.FairQueue.waiting(db, true),
                    org.fedorabuild.hub.pool.FairQueue.running(db), maxBuildsPerOwner, t -> {
                        HostDriver best = drivers.values().stream()
                                .filter(d -> d.enabled && d.reachable && d.builds(t.arch()) && room.getOrDefault(d.id, 0) > 0
                                        && d.load + t.weight() <= d.capacity + 1e-9)
                                .min(Comparator.comparingDouble(d -> d.load / d.capacity)).orElse(null);
                        if (best == null) {
                            return false;
                        }
                        db.update("UPDATE tasks SET state = 1, host_id = ?, start_time = now() WHERE id = ?", best.id, t.id());
                        db.update("UPDATE hosts SET tasks_taken = tasks_taken + 1 WHERE id = ?", best.id);
                        best.load += t.weight();
                        room.merge(best.id, -1, Integer::sum);
                        started.add(new Object[] {t.id(), best, t});
                        return true;
                    });
            for (var d : drivers.values()) {
                db.update("UPDATE hosts SET task_load = ? WHERE id = ?", d.load, d.id);
            }
            return placed;
        });
        for (Object[] s : started) {
            int id = (Integer) s[0];
            HostDriver d = (HostDriver) s[1];
            var c = (org.fedorabuild.hub.pool.FairQueue.Candidate) s[2];
            LOG.info("Task {} - assigned to {} (owner {}, priority {}, waited {} s)", id, d.name, c.ownerName(), c.priority(),
                    Math.round(c.waited() * 10) / 10.0);
            try {
                listener.assigned(id, d.name, c);
            } catch (RuntimeException e) {
                LOG.warn("Task {} - assignment listener failed", id, e);
            }
            running.put(id, d);
            workers.execute(() -> {
                try {
                    runner.run(id, d);
                } catch (RuntimeException | Error e) {
                    requeueAfter(id, d, e);
                } finally {
                    running.remove(id);
                    killed.remove(id);
                    checkIn(d);
                }
            });
        }
    }

    /**
     * A run that ended without recording an outcome (the database was unreachable, or a bug): the task goes back to
     * the queue, once the database takes the change, rather than stay OPEN on a host that no longer runs it.
     */
    private void requeueAfter(int id, HostDriver d, Throwable e) {
        if (DatabaseOutage.is(e)) {
            LOG.warn("Task {} - run on {} ended in a database outage; re-queuing it when the database is back", id, d.name);
        } else {
            LOG.error("Task {} - run on {} failed unexpectedly; re-queuing it", id, d.name, e);
        }
        try {
            DatabaseOutage.waitOut("re-queuing task " + id, TaskRunner.RECORD_PATIENCE, () -> db.tx(() -> db.update(
                    "UPDATE tasks SET state = 0, host_id = NULL, start_time = NULL WHERE id = ? AND state = 1 AND host_id = ?",
                    id, d.id)));
            LOG.info("Task {} - re-queued after its interrupted run on {}", id, d.name);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } catch (Exception again) {
            LOG.error("Task {} - cannot re-queue it; left OPEN on {} for the watchdog", id, d.name, again);
        }
    }

    /** Task ids running now on this hub, for tests and the benchmark. */
    public java.util.Set<Integer> runningTasks() {
        return java.util.Set.copyOf(running.keySet());
    }

    /** Stops dispatching; running builds are interrupted (a restarted hub re-queues them). */
    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
        checks.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drivers.values().forEach(HostDriver::close);
        LOG.info("Dispatcher - stopped");
    }
}

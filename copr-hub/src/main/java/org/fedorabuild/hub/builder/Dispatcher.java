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
    private final org.fedorabuild.hub.cluster.Leases leases;
    private final HostClaims claims;
    private final Map<Integer, HostDriver> drivers = new ConcurrentHashMap<>();
    private final Map<Integer, HostDriver> running = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> killed = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newCachedThreadPool(daemon("build-worker"));
    private Periodic loop;
    /** Check-ins run apart from the dispatcher round, at most one per host at a time: a hanging host delays nobody. */
    private final ExecutorService checks = Executors.newCachedThreadPool(daemon("host-check"));
    private final Map<Integer, Boolean> checking = new ConcurrentHashMap<>();
    private volatile boolean starting;
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
    public Dispatcher(Db db, BuildSettings settings, TaskRunner runner, Path localWorkRoot, Integer localHostId,
            org.fedorabuild.hub.cluster.Leases leases) {
        this.db = db;
        this.settings = settings;
        this.runner = runner;
        this.localWorkRoot = localWorkRoot;
        this.leases = leases;
        this.claims = new HostClaims(db, leases, localHostId);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public void start() {
        starting = true;
        syncHosts();
        starting = false;
        // As before leases: the builders taken at start are checked in (and their interrupted runs re-queued)
        // before start returns; later ones are checked in the background.
        for (HostDriver d : List.copyOf(drivers.values())) {
            if (checking.putIfAbsent(d.id, true) == null) {
                try {
                    d.check(settings.sshConnectTimeout());
                    checkIn(d);
                    if (d.reachable) {
                        recover(d);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("Host {} - check-in failed: {}", d.name, e.toString(), e);
                } finally {
                    checking.remove(d.id);
                }
            }
        }
        long tick = settings.dispatchInterval().toMillis();
        loop = Periodic.every("dispatcher", Duration.ofMillis(tick), Duration.ofMillis(tick), this::tick)
                .alsoEvery("host-checks", settings.hostCheckInterval(), this::checkAll);
        LOG.info("Dispatcher - started as hub {}: {} host(s) driven, every {} ms, lease {} s", leases.instanceId(), drivers.size(),
                tick, leases.lease().toMillis() / 1000.0);
    }

    /**
     * Runs a previous tenure of the host's lease left OPEN there (a hub that died or was restarted): kill what
     * may still run, then re-queue. Until that succeeds the host gets no new task; while it is unreachable its
     * tasks stay OPEN for the watchdog, as any unreachable builder's do.
     */
    private void recover(HostDriver d) {
        for (var t : db.query("SELECT id FROM tasks WHERE state = 1 AND host_id = ?"
                + " AND method IN ('buildArch', 'buildSRPMFromSCM', 'readSrpmDeps') ORDER BY id", d.id)) {
            int id = (Integer) t.get("id");
            if (running.get(id) == d) {
                continue;
            }
            try {
                new BuildExecution(d.transport, BuildBackend.RPMBUILD).cancel(id);
            } catch (Exception e) {
                LOG.warn("Task {} - left OPEN on unreachable host {} after a hub change (the watchdog frees it): {}", id, d.name,
                        e.getMessage());
                return;
            }
            if (db.tx(() -> d.fence.holds() ? db.update("UPDATE tasks SET state = 0, host_id = NULL, start_time = NULL"
                    + " WHERE id = ? AND state = 1 AND host_id = ?", id, d.id) : 0) == 1) {
                LOG.info("Task {} - re-queued: its run on {} was interrupted by a hub restart or failover", id, d.name);
            }
        }
        d.recovered = true;
    }

    /** Renews this hub's builder leases, drops the builders another hub took, takes free ones up to the share. */
    private void syncHosts() {
        HostClaims.Round round = claims.renew(drivers.keySet());
        for (HostDriver d : List.copyOf(drivers.values())) {
            Long epoch = round.held().get(HostClaims.lease(d.id));
            if (epoch == null || epoch != d.epoch) {
                drop(d, "its lease was taken over by another hub");
            }
        }
        // A host no longer listed (a retired pool builder) is dropped, and its lease handed back, once nothing of ours runs on it.
        java.util.Set<Integer> listed = new java.util.HashSet<>();
        round.candidates().forEach(c -> listed.add(c.id()));
        for (HostDriver d : List.copyOf(drivers.values())) {
            if (!listed.contains(d.id) && !running.containsValue(d)) {
                drop(d, "no longer a builder this hub drives");
                claims.release(d.id);
            }
        }
        int mine = (int) drivers.keySet().stream().filter(id -> !claims.isLocal(id)).count();
        for (HostClaims.Candidate c : round.candidates()) {
            var h = c.host();
            int id = c.id();
            HostDriver d = drivers.get(id);
            if (d == null) {
                if (!c.free() || (!claims.isLocal(id) && mine >= round.share())) {
                    continue;
                }
                var epoch = claims.take(id);
                if (epoch.isEmpty()) {
                    continue;
                }
                d = newDriver(h, epoch.getAsLong());
                drivers.put(id, d);
                if (!claims.isLocal(id)) {
                    mine++;
                }
                LOG.info("Host {} - now driven by hub {} (lease epoch {})", d.name, leases.instanceId(), d.epoch);
                if (!starting) {
                    checkAsync(d);
                }
            }
            d.arches = List.of(((String) h.get("arches")).trim().split("\\s+"));
            d.capacity = (Double) h.get("capacity");
            d.enabled = (Boolean) h.get("enabled");
        }
        if (mine > round.share()) {
            drivers.values().stream().filter(d -> !claims.isLocal(d.id) && d.recovered && !running.containsValue(d)
                    && ((Number) db.scalar("SELECT count(*) FROM tasks WHERE host_id = ? AND state IN (1, 4)", d.id).orElse(0L))
                            .longValue() == 0).findFirst().ifPresent(d -> {
                                drop(d, "handed over: this hub drives more than its share (" + round.share() + ")");
                                claims.release(d.id);
                            });
        }
    }

    private HostDriver newDriver(java.util.Map<String, Object> h, long epoch) {
        int id = (Integer) h.get("id");
        BuilderTransport t = "ssh".equals(h.get("driver"))
                ? new SshTransport(new SshTransport.Target((String) h.get("ssh_user"), (String) h.get("ssh_host"),
                        (Integer) h.get("ssh_port")), settings.sshKey(), settings.sshKnownHosts(),
                        (String) h.get("ssh_host_key"), settings.sshConnectTimeout(), "copr-hub-builder")
                : new LocalTransport(localWorkRoot);
        String backend = h.get("backend") != null ? (String) h.get("backend") : settings.buildBackend();
        return new HostDriver(id, (String) h.get("name"), t, backend, epoch, claims.fence(id, epoch));
    }

    /** Stops driving {@code d}: its runs' results are fenced out, the new driver kills and re-queues them. */
    private void drop(HostDriver d, String why) {
        if (drivers.remove(d.id, d)) {
            LOG.info("Host {} - no longer driven by hub {}: {}", d.name, leases.instanceId(), why);
            d.close();
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
                if (drivers.get(d.id) != d) {
                    return;
                }
                d.check(settings.sshConnectTimeout());
                checkIn(d);
                if (!d.recovered && d.reachable) {
                    recover(d);
                }
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
            Map<Integer, Long> epochs = new java.util.HashMap<>();
            drivers.values().forEach(d -> epochs.put(d.id, d.epoch));
            // share-locked until commit: no other hub can take a host between this check and the assignment
            java.util.Set<Integer> held = claims.fenceAll(epochs);
            List<HostDriver> usable = drivers.values().stream().filter(d -> held.contains(d.id) && drivers.get(d.id) == d).toList();
            Map<Integer, HostDriver> byId = new java.util.HashMap<>();
            usable.forEach(d -> byId.put(d.id, d));
            // Host rows are locked first, so a pool retiring a builder waits for this round, then sees its tasks.
            Map<Integer, Integer> room = new java.util.HashMap<>();
            for (var h : db.query("SELECT h.id, h.enabled, h.max_tasks, h.tasks_taken, (SELECT COALESCE(sum(weight), 0) FROM tasks"
                    + " WHERE host_id = h.id AND state IN (1, 4)) AS load FROM hosts h WHERE h.id = ANY(?) ORDER BY h.id FOR UPDATE",
                    (Object) byId.keySet().toArray(new Integer[0]))) {
                HostDriver d = byId.get((Integer) h.get("id"));
                d.load = ((Number) h.get("load")).doubleValue();
                d.enabled = (Boolean) h.get("enabled");
                Integer max = (Integer) h.get("max_tasks");
                room.put(d.id, max == null ? Integer.MAX_VALUE : max - (Integer) h.get("tasks_taken"));
            }
            var placed = org.fedorabuild.hub.pool.FairQueue.offer(org.fedorabuild.hub.pool.FairQueue.waiting(db, true),
                    org.fedorabuild.hub.pool.FairQueue.running(db), maxBuildsPerOwner, t -> {
                        HostDriver best = usable.stream()
                                .filter(d -> d.recovered && d.enabled && d.reachable && d.builds(t.arch()) && room.getOrDefault(d.id, 0) > 0
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
            for (var d : usable) {
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

    /**
     * Stops dispatching; running builds are interrupted and the builders' leases handed over at once, so
     * another hub (or this one restarted) kills and re-queues their runs without waiting for the lease.
     */
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
        drivers.values().forEach(d -> {
            try {
                claims.release(d.id);
            } catch (RuntimeException e) {
                LOG.warn("Host {} - cannot hand its lease over (it lapses in {} s): {}", d.name, leases.lease().toSeconds(),
                        e.toString());
            }
        });
        LOG.info("Dispatcher - stopped");
    }
}

package org.fedorabuild.hub.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fedorabuild.hub.config.BuildSettings;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.host.Hosts;
import org.fedorabuild.hub.retention.AdvisoryLocks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the builder pools. Every round, in one hub only (the holder of a PostgreSQL advisory lock; when it
 * dies the lock goes with its connection and another hub takes over), each pool on its own: builders found
 * dead (no check-in within {@code dead_after}, or {@code cmd_check} failing) are retired with their tasks
 * back in the queue, builders past {@code max_builds} or idle past {@code idle_timeout} (above
 * {@code min_idle}) are retired once they run nothing, retired builders are deleted; then {@link PoolPlan}
 * says how many to start. Commands run on their own threads, so a slow or failing pool never holds up the
 * round or another pool; failed starts back off (doubling from {@code backoff}, at most 10 minutes).
 */
public final class PoolManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PoolManager.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    private final Db db;
    private final AdvisoryLocks locks;
    private final PoolsConfig config;
    private final Map<String, PoolSettings> byName = new LinkedHashMap<>();
    private final BuilderLife life;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "pool-manager"));
    private final ExecutorService commands = Executors.newCachedThreadPool(r -> daemon(r, "pool-command"));
    /** Builders with a command running in this process: nothing else is done to them meanwhile. */
    private final Set<Integer> busy = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final Map<String, Instant> blockedUntil = new ConcurrentHashMap<>();
    private final Map<Integer, Instant> lastCheck = new ConcurrentHashMap<>();
    private AdvisoryLocks.Held leadership;

    public PoolManager(Db db, AdvisoryLocks locks, PoolsConfig config, Hosts hosts, BuildSettings ssh, PoolMetrics metrics) {
        this.db = db;
        this.locks = locks;
        this.config = config;
        config.pools().forEach(p -> byName.put(p.name(), p));
        this.life = new BuilderLife(db, hosts, ssh, metrics);
        this.metrics = metrics;
    }

    private final PoolMetrics metrics;

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public void start(Duration interval) {
        long ms = Math.max(100, interval.toMillis());
        loop.scheduleWithFixedDelay(this::round, 0, ms, TimeUnit.MILLISECONDS);
        LOG.info("Pools - {} pool(s) configured: {}", byName.size(), String.join(", ", byName.keySet()));
    }

    /** One round; never throws, so the schedule survives any failure. */
    void round() {
        try {
            if (!leader()) {
                return;
            }
        } catch (Exception e) {
            LOG.warn("Pools - cannot take the pool lock", e);
            return;
        }
        for (PoolSettings p : byName.values()) {
            try {
                tend(p);
            } catch (Exception e) {
                LOG.warn("Pool {} - round failed", p.name(), e);
            }
        }
        try {
            grow();
        } catch (Exception e) {
            LOG.warn("Pools - planning failed", e);
        }
    }

    private boolean leader() throws java.io.IOException {
        if (leadership != null && leadership.alive()) {
            return true;
        }
        if (leadership != null) {
            LOG.warn("Pools - lost the pool lock (database connection gone); another hub may run the pools now");
            leadership.close();
            leadership = null;
        }
        leadership = locks.tryAcquire(AdvisoryLocks.POOLS, "pools").orElse(null);
        if (leadership != null) {
            LOG.info("Pools - this hub runs the builder pools");
            adopt();
        }
        return leadership != null;
    }

    /** What a previous hub left: starts it never finished are cleaned up, builders of pools now gone are disowned. */
    private void adopt() {
        for (var b : db.query("SELECT id, pool, name, state, address, host_id FROM pool_builders"
                + " WHERE state IN ('starting', 'ready', 'retiring') ORDER BY id")) {
            int id = (Integer) b.get("id");
            String name = (String) b.get("name");
            PoolSettings p = byName.get((String) b.get("pool"));
            if (busy.contains(id)) {
                continue;
            }
            if (p == null) {
                db.tx(() -> {
                    db.update("UPDATE pool_builders SET state = 'gone', end_time = now(), reason = ? WHERE id = ?",
                            "pool " + b.get("pool") + " is no longer configured: delete the machine by hand", id);
                    if (b.get("host_id") != null) {
                        db.update("UPDATE hosts SET enabled = false, driver = NULL, comment = ? WHERE id = ?",
                                "pool " + b.get("pool") + " is no longer configured", b.get("host_id"));
                    }
                    return null;
                });
                LOG.warn("Host {} - disowned: its pool {} is no longer configured; delete {} by hand", name, b.get("pool"),
                        b.get("address"));
            } else if ("starting".equals(b.get("state"))) {
                db.update("UPDATE pool_builders SET state = 'failed', end_time = now(), reason = ? WHERE id = ?",
                        "start interrupted: the hub running cmd_new stopped", id);
                LOG.warn("Host {} - start interrupted by a hub stop (pool {}): running cmd_delete", name, p.name());
                run(id, () -> life.cleanup(p, name, (String) b.get("address")));
            } else {
                LOG.info("Host {} - adopted ({} builder of pool {}, {})", name, b.get("state"), p.name(), b.get("address"));
            }
        }
    }

    private void run(int builder, Task task) {
        if (!busy.add(builder)) {
            return;
        }
        commands.execute(() -> {
            try {
                task.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("Pools - command for builder {} failed", builder, e);
            } finally {
                busy.remove(builder);
            }
        });
    }

    private interface Task {
        void run() throws Exception;
    }

    /** Liveness, retirement and deletion for one pool. */
    private void tend(PoolSettings p) {
        var rows = db.query("SELECT b.id, b.name, b.state, b.address, b.host_id, h.max_tasks, h.tasks_taken,"
                + " extract(epoch FROM now() - COALESCE(h.update_time, b.ready_time))::float8 AS silent,"
                + " (SELECT count(*) FROM tasks t WHERE t.host_id = b.host_id AND t.state IN (1, 4))::int AS active,"
                + " extract(epoch FROM now() - GREATEST(b.ready_time, (SELECT max(t.completion_time) FROM tasks t"
                + " WHERE t.host_id = b.host_id)))::float8 AS idle_for, b.next_try IS NULL OR b.next_try <= now() AS due"
                + " FROM pool_builders b LEFT JOIN hosts h ON h.id = b.host_id"
                + " WHERE b.pool = ? AND b.state IN ('ready', 'retiring') ORDER BY b.id", p.name());
        long idle = rows.stream().filter(b -> "ready".equals(b.get("state")) && (Integer) b.get("active") == 0).count();
        for (var b : rows) {
            int id = (Integer) b.get("id");
            if (busy.contains(id)) {
                continue;
            }
            String name = (String) b.get("name");
            Integer host = (Integer) b.get("host_id");
            String address = (String) b.get("address");
            if ("retiring".equals(b.get("state"))) {
                if ((Integer) b.get("active") == 0 && Boolean.TRUE.equals(b.get("due"))) {
                    run(id, () -> life.delete(p, id, host, name, address));
                }
                continue;
            }
            int active = (Integer) b.get("active");
            boolean retired = false;
            if ((Double) b.get("silent") > p.deadAfter().toSeconds()) {
                metrics.failed(p.name(), "dead");
                retired = life.retire(p.name(), id, host, name, "dead: no check-in for " + Math.round((Double) b.get("silent")) + " s",
                        true);
            } else if (b.get("max_tasks") != null && (Integer) b.get("tasks_taken") >= (Integer) b.get("max_tasks")) {
                if (active == 0) {
                    retired = life.retire(p.name(), id, host, name, "took max_builds = " + b.get("max_tasks") + " task(s)", false);
                }
            } else if (active == 0 && !p.idleTimeout().isZero() && (Double) b.get("idle_for") > p.idleTimeout().toSeconds()
                    && idle > p.minIdle()) {
                retired = life.retire(p.name(), id, host, name, "idle for " + Math.round((Double) b.get("idle_for")) + " s", false);
                if (retired) {
                    idle--;
                }
            }
            // a builder running its last task is probed too: if it dies, that task goes back to the queue
            if (!retired && p.cmdCheck() != null && due(id, p.checkInterval())) {
                run(id, () -> check(p, id, host, name, address));
            }
        }
    }

    private boolean due(int id, Duration every) {
        Instant last = lastCheck.get(id);
        if (last != null && last.plus(every).isAfter(Instant.now())) {
            return false;
        }
        lastCheck.put(id, Instant.now());
        return true;
    }

    private void check(PoolSettings p, int id, int host, String name, String address) throws Exception {
        ExternalCommand.Result r = ExternalCommand.run(p.cmdCheck(), BuilderLife.env(p, name, address), p.commandTimeout());
        if (!r.ok()) {
            metrics.failed(p.name(), "dead");
            String why = "dead: " + r.describe("cmd_check", p.commandTimeout());
            db.update("UPDATE pool_builders SET last_error = ? WHERE id = ?", why, id);
            life.retire(p.name(), id, host, name, why, true);
        }
    }

    /** Starts what {@link PoolPlan} asks for. */
    private void grow() {
        Map<String, Integer> live = new HashMap<>();
        List<PoolPlan.Slot> slots = new ArrayList<>();
        for (var b : db.query("SELECT pool, state FROM pool_builders WHERE state IN ('starting', 'ready', 'retiring')")) {
            live.merge((String) b.get("pool"), 1, Integer::sum);
            PoolSettings p = byName.get((String) b.get("pool"));
            if (p != null && "starting".equals(b.get("state"))) {
                slots.add(new PoolPlan.Slot(p.name(), p.arches(), p.capacity(), p.maxBuilds() == 0 ? Integer.MAX_VALUE : p.maxBuilds(),
                        true));
            }
        }
        for (var h : db.query("SELECT h.arches, h.capacity, h.max_tasks, h.tasks_taken, b.pool, (SELECT COALESCE(sum(weight), 0)"
                + " FROM tasks t WHERE t.host_id = h.id AND t.state IN (1, 4)) AS load FROM hosts h"
                + " LEFT JOIN pool_builders b ON b.host_id = h.id WHERE h.enabled AND (b.state = 'ready' OR (b.id IS NULL AND h.ready))")) {
            double load = ((Number) h.get("load")).doubleValue();
            Integer max = (Integer) h.get("max_tasks");
            slots.add(new PoolPlan.Slot((String) h.get("pool"), List.of(((String) h.get("arches")).trim().split("\\s+")),
                    (Double) h.get("capacity") - load, max == null ? Integer.MAX_VALUE : max - (Integer) h.get("tasks_taken"),
                    load == 0));
        }
        Set<String> blocked = new HashSet<>();
        blockedUntil.forEach((pool, until) -> {
            if (until.isAfter(Instant.now())) {
                blocked.add(pool);
            }
        });
        var start = PoolPlan.plan(config.pools(), live, blocked, slots, FairQueue.waiting(db, false), FairQueue.running(db),
                config.maxBuildsPerOwner());
        start.forEach((pool, n) -> {
            PoolSettings p = byName.get(pool);
            for (int i = 0; i < n; i++) {
                Object[] r = db.tx(() -> life.reserve(p));
                int id = (Integer) r[0];
                String name = (String) r[1];
                LOG.info("Host {} - starting (pool {}): {} builder(s) live, max {}", name, pool, live.getOrDefault(pool, 0) + i + 1,
                        p.max());
                run(id, () -> {
                    if (life.start(p, id, name)) {
                        failures.remove(pool);
                        blockedUntil.remove(pool);
                    } else {
                        int k = failures.merge(pool, 1, Integer::sum);
                        Duration wait = p.backoff().multipliedBy(1L << Math.min(k - 1, 16));
                        wait = wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
                        blockedUntil.put(pool, Instant.now().plus(wait));
                        LOG.warn("Pool {} - {} failed start(s) in a row: next start in {} s", pool, k, wait.toSeconds());
                    }
                });
            }
        });
    }

    @Override
    public void close() {
        loop.shutdownNow();
        commands.shutdownNow();
        try {
            commands.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (leadership != null) {
            leadership.close();
        }
    }
}

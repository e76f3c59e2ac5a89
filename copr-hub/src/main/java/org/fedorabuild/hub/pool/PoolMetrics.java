package org.fedorabuild.hub.pool;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.db.Db;

/**
 * Builder pool and queue metrics on the hub's {@code /metrics}: builders per pool and state (read from the
 * database when scraped, so every hub sharing it reports the same), starts and failures, time to ready, and
 * how long tasks waited for a builder, per owner.
 */
public final class PoolMetrics {
    private final Counter starts;
    private final Counter failures;
    private final Histogram timeToReady;
    private final Histogram queueWait;

    public PoolMetrics(PrometheusRegistry registry, Db db, List<PoolSettings> pools) {
        GaugeWithCallback.builder().name("copr_hub_pool_builders")
                .help("builders of a pool by state (starting, ready, retiring)").labelNames("pool", "state")
                .callback(cb -> {
                    Map<String, Long> n = new HashMap<>();
                    try {
                        for (var r : db.query("SELECT pool, state, count(*) AS n FROM pool_builders"
                                + " WHERE state IN ('starting', 'ready', 'retiring') GROUP BY pool, state")) {
                            n.put(r.get("pool") + "/" + r.get("state"), (Long) r.get("n"));
                        }
                    } catch (RuntimeException e) {
                        // the database is out: /metrics still answers, without this gauge
                        return;
                    }
                    for (PoolSettings p : pools) {
                        for (String s : new String[] {"starting", "ready", "retiring"}) {
                            cb.call(n.getOrDefault(p.name() + "/" + s, 0L), p.name(), s);
                        }
                    }
                }).register(registry);
        starts = Counter.builder().name("copr_hub_pool_starts_total")
                .help("builders a pool started (cmd_new run), by outcome: ready, or failed").labelNames("pool", "outcome")
                .register(registry);
        failures = Counter.builder().name("copr_hub_pool_failures_total")
                .help("pool failures by kind: start (cmd_new or first login), dead (cmd_check or check-in), delete (cmd_delete)")
                .labelNames("pool", "kind").register(registry);
        timeToReady = Histogram.builder().name("copr_hub_pool_time_to_ready_seconds")
                .help("from cmd_new's start to the builder's first SSH login").labelNames("pool")
                .classicUpperBounds(1, 5, 15, 30, 60, 120, 300, 600, 1800).register(registry);
        queueWait = Histogram.builder().name("copr_hub_queue_wait_seconds")
                .help("from a task's creation to a builder taking it, by owner (Copr user or group)").labelNames("owner")
                .classicUpperBounds(0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600).register(registry);
        for (PoolSettings p : pools) {
            starts.initLabelValues(p.name(), "ready");
            starts.initLabelValues(p.name(), "failed");
            for (String k : new String[] {"start", "dead", "delete"}) {
                failures.initLabelValues(p.name(), k);
            }
        }
    }

    void started(String pool, double seconds) {
        starts.labelValues(pool, "ready").inc();
        timeToReady.labelValues(pool).observe(seconds);
    }

    void startFailed(String pool) {
        starts.labelValues(pool, "failed").inc();
        failures.labelValues(pool, "start").inc();
    }

    void failed(String pool, String kind) {
        failures.labelValues(pool, kind).inc();
    }

    /** A task was given to a builder after waiting {@code seconds}. */
    public void queueWait(String owner, double seconds) {
        queueWait.labelValues(owner).observe(seconds);
    }
}

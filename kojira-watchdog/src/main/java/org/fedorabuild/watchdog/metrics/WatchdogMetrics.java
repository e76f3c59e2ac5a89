package org.fedorabuild.watchdog.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.List;
import org.fedorabuild.watchdog.detect.Rule;
import org.fedorabuild.watchdog.guard.Outcome;
import org.fedorabuild.watchdog.guard.Verdict;

/**
 * The watchdog's Prometheus metrics (base units, counters end in {@code _total}), served at {@code /metrics}
 * on {@code metrics_listen}. Names are documented in the README; dashboards depend on them.
 */
public final class WatchdogMetrics implements AutoCloseable {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Gauge hosts = Gauge.builder().name("kojira_watchdog_hosts").help("hosts listed by the hub")
            .register(registry);
    private final Gauge staleHosts = Gauge.builder().name("kojira_watchdog_stale_hosts")
            .help("hosts silent longer than host_grace in the last complete cycle").register(registry);
    private final Gauge tasks = Gauge.builder().name("kojira_watchdog_active_tasks")
            .help("OPEN and ASSIGNED tasks in the last complete cycle").register(registry);
    private final Counter frees = Counter.builder().name("kojira_watchdog_frees_total")
            .help("tasks freed or canceled on the hub, by rule and action").labelNames("rule", "action").register(registry);
    private final Counter decisions = Counter.builder().name("kojira_watchdog_decisions_total")
            .help("decisions by rule and outcome (acted on or not)").labelNames("rule", "outcome").register(registry);
    private final Counter guardTrips = Counter.builder().name("kojira_watchdog_guard_trips_total")
            .help("cycles whose actions a guard stopped, by guard").labelNames("guard").register(registry);
    private final Counter drains = Counter.builder().name("kojira_watchdog_drains_total")
            .help("drain steps completed, by state reached").labelNames("state").register(registry);
    private final Counter errors = Counter.builder().name("kojira_watchdog_errors_total")
            .help("cycles that could not complete, by kind").labelNames("kind").register(registry);
    private final Histogram cycleSeconds = Histogram.builder().name("kojira_watchdog_cycle_seconds")
            .help("duration of complete cycles").classicUpperBounds(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
            .register(registry);
    private final Gauge cycleRequests = Gauge.builder().name("kojira_watchdog_cycle_requests")
            .help("HTTP requests to the hub in the last complete cycle").register(registry);
    private final Gauge lastSuccess = Gauge.builder().name("kojira_watchdog_last_success_hub_timestamp_seconds")
            .help("hub clock at the last complete cycle").register(registry);
    private final Gauge queued = Gauge.builder().name("kojira_watchdog_scale_queued_tasks")
            .help("FREE tasks waiting, per channel and arch (scale signal)").labelNames("channel", "arch").register(registry);
    private final Gauge freeCapacity = Gauge.builder().name("kojira_watchdog_scale_free_capacity")
            .help("capacity minus load of ready, enabled, live hosts per channel and arch (scale signal)")
            .labelNames("channel", "arch").register(registry);
    private HTTPServer server;

    public WatchdogMetrics() {
        // Series that exist from the start, at 0, so rate() and alerts work before the first event.
        guardTrips.initLabelValues("stale_fraction");
        guardTrips.initLabelValues("outage_warmup");
        for (String s : new String[] {"draining", "done", "failed"}) {
            drains.initLabelValues(s);
        }
        errors.initLabelValues("unreachable");
        errors.initLabelValues("incomplete");
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** Serves {@code /metrics} on {@code host:port} (empty host = all addresses). */
    public void serve(String listen) throws IOException {
        int colon = listen.lastIndexOf(':');
        HTTPServer.Builder b = HTTPServer.builder().port(Integer.parseInt(listen.substring(colon + 1))).registry(registry);
        if (colon > 0) {
            b.hostname(listen.substring(0, colon));
        }
        server = b.buildAndStart();
    }

    public int port() {
        return server == null ? -1 : server.getPort();
    }

    public void cycle(int hostCount, int staleCount, int taskCount, double seconds, int requests, double hubNow,
            List<Verdict> verdicts) {
        hosts.set(hostCount);
        staleHosts.set(staleCount);
        tasks.set(taskCount);
        cycleSeconds.observe(seconds);
        cycleRequests.set(requests);
        lastSuccess.set(hubNow);
        boolean stale = false;
        boolean warm = false;
        for (Verdict v : verdicts) {
            decisions.labelValues(v.decision().rule().label(), v.outcome().label()).inc();
            if (v.outcome() == Outcome.FREED || v.outcome() == Outcome.CANCELED) {
                frees.labelValues(v.decision().rule().label(), v.decision().action().label()).inc();
            }
            stale |= v.outcome() == Outcome.GUARD_STALE_FRACTION
                    || (v.decision().rule() == Rule.GUARD && v.decision().evidence().contains("stale"));
            warm |= v.outcome() == Outcome.GUARD_WARMUP;
        }
        if (stale) {
            guardTrips.labelValues("stale_fraction").inc();
        }
        if (warm) {
            guardTrips.labelValues("outage_warmup").inc();
        }
    }

    public void error(String kind) {
        errors.labelValues(kind).inc();
    }

    public void drain(String state) {
        drains.labelValues(state).inc();
    }

    public void scale(String channel, String arch, double queuedTasks, double capacity) {
        queued.labelValues(channel, arch).set(queuedTasks);
        freeCapacity.labelValues(channel, arch).set(capacity);
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}

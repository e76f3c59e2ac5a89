package org.fedorabuild.watchdog.cycle;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.fedorabuild.watchdog.audit.AuditStore;
import org.fedorabuild.watchdog.config.WatchdogConfig;
import org.fedorabuild.watchdog.metrics.WatchdogMetrics;
import org.fedorabuild.watchdog.scale.ScaleSignal;
import org.fedorabuild.watchdog.sim.Fleet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /metrics after a cycle that freed a task: the documented names, and the scale signal. */
class MetricsTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations(AuditStore.MIGRATIONS);

    @Test
    void metricsEndpointShowsCycleFreesAndScaleSignal() throws Exception {
        try (Fleet fleet = new Fleet(PG.dataSource(), 4); WatchdogMetrics metrics = new WatchdogMetrics()) {
            fleet.hub.makeTask("sleep");
            fleet.builder(1).checkIn();
            fleet.hub.makeTask("sleep"); // stays FREE: queued
            fleet.advance(Duration.ofSeconds(1000), Duration.ofSeconds(60), fleet.builder(2), fleet.builder(3));
            metrics.serve("127.0.0.1:0");
            WatchdogConfig cfg = fleet.config("");
            new WatchdogCycle(cfg, fleet.store(), metrics).withStep(new ScaleSignal(cfg.policy().hostGrace(), metrics)).run();
            fleet.hub.goDown();
            new WatchdogCycle(cfg, fleet.store(), metrics).run();
            fleet.hub.comeBack();
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metrics.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String name : new String[] {"kojira_watchdog_stale_hosts", "kojira_watchdog_frees_total",
                    "kojira_watchdog_guard_trips_total", "kojira_watchdog_drains_total", "kojira_watchdog_cycle_seconds",
                    "kojira_watchdog_errors_total", "kojira_watchdog_scale_queued_tasks",
                    "kojira_watchdog_scale_free_capacity"}) {
                assertTrue(body.contains(name), name + " missing:\n" + body);
            }
            assertTrue(body.contains("kojira_watchdog_frees_total{action=\"free\",rule=\"stale-host\"} 1"), body);
            assertTrue(body.contains("kojira_watchdog_errors_total{kind=\"unreachable\"} 1"), body);
            assertTrue(body.contains("kojira_watchdog_stale_hosts 2"), body);
            assertTrue(body.contains("kojira_watchdog_scale_queued_tasks{arch=\"noarch\",channel=\"default\"}"), body);
        }
    }
}

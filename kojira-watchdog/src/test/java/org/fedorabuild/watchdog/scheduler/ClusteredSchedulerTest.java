package org.fedorabuild.watchdog.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.fedorabuild.watchdog.audit.AuditStore;
import org.fedorabuild.watchdog.sim.Fleet;
import org.fedorabuild.watchdog.sim.SimTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two service instances on one database: cycles never overlap, each runs on one instance, the task is freed once. */
class ClusteredSchedulerTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations(AuditStore.MIGRATIONS);

    record Ran(String instance, long start, long end, boolean complete) {
    }

    @Test
    void twoInstancesRunningOnlyOneActsPerCycle() throws Exception {
        try (Fleet fleet = new Fleet(PG.dataSource(), 4)) {
            SimTask t = fleet.hub.makeTask("sleep");
            fleet.builder(1).checkIn();
            fleet.advance(Duration.ofSeconds(1000), Duration.ofSeconds(60), fleet.builder(2), fleet.builder(3),
                    fleet.builder(4));
            List<Ran> runs = Collections.synchronizedList(new ArrayList<>());
            CycleJob.Listener listener = (id, r, s, e) -> runs.add(new Ran(id, s, e, r.complete()));
            String cfg = "check_interval = 1s\n";
            try (WatchdogScheduler a = new WatchdogScheduler(PG.jdbcUrl(), PG.user(), PG.password(), "watchdog-a",
                    fleet.cycle(cfg), Duration.ofSeconds(1), listener);
                 WatchdogScheduler b = new WatchdogScheduler(PG.jdbcUrl(), PG.user(), PG.password(), "watchdog-b",
                         fleet.cycle(cfg), Duration.ofSeconds(1), listener)) {
                a.start();
                b.start();
                Thread.sleep(7000);
            }
            List<Ran> sorted = new ArrayList<>(runs);
            sorted.sort((x, y) -> Long.compare(x.start(), y.start()));
            assertTrue(sorted.size() >= 3, "cycles ran: " + sorted);
            for (int i = 1; i < sorted.size(); i++) {
                assertTrue(sorted.get(i).start() >= sorted.get(i - 1).end(), "cycles overlapped: " + sorted);
            }
            assertTrue(sorted.stream().allMatch(Ran::complete));
            assertEquals(0, t.state);
            long freed = fleet.store().trail().list(false, 100).stream()
                    .filter(r -> r.taskId() != null && r.taskId() == t.id && r.outcome().equals("freed")).count();
            assertEquals(1, freed, "freed exactly once across both instances");
        }
    }
}

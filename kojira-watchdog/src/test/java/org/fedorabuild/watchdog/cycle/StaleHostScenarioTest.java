package org.fedorabuild.watchdog.cycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.fedorabuild.watchdog.audit.AuditStore;
import org.fedorabuild.watchdog.guard.Outcome;
import org.fedorabuild.watchdog.sim.Fleet;
import org.fedorabuild.watchdog.sim.SimBuilder;
import org.fedorabuild.watchdog.sim.SimTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A builder dies holding an OPEN task: freed exactly once, after host_grace on the hub's clock. */
class StaleHostScenarioTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations(AuditStore.MIGRATIONS);

    private Fleet fleet;
    private static final Duration STEP = Duration.ofSeconds(60);

    @BeforeEach
    void fleet() throws Exception {
        fleet = new Fleet(PG.dataSource(), 4);
    }

    @AfterEach
    void close() throws Exception {
        fleet.close();
    }

    /** builder1 takes a task, then dies; the others keep checking in. Returns the task. */
    private SimTask builderDiesHoldingTask() {
        SimTask t = fleet.hub.makeTask("sleep");
        assertEquals(List.of(t.id), fleet.builder(1).checkIn());
        for (int i = 2; i <= 4; i++) {
            fleet.builder(i).checkIn();
        }
        assertEquals(1, t.state);
        return t;
    }

    private SimBuilder[] survivors() {
        return new SimBuilder[] {fleet.builder(2), fleet.builder(3), fleet.builder(4)};
    }

    @Test
    void deadBuilderTaskIsFreedOnceAfterGraceAndTakenByAnotherBuilder() {
        SimTask t = builderDiesHoldingTask();
        long b1 = fleet.host("builder1");

        fleet.advance(Duration.ofSeconds(840), STEP, survivors());
        CycleReport early = fleet.runCycle("");
        assertTrue(early.complete(), early.summary());
        assertTrue(early.verdicts().isEmpty(), "silent 840 s < 900 s: nothing to decide, got " + early.lines());
        assertEquals(1, t.state);

        fleet.advance(Duration.ofSeconds(120), STEP, survivors());
        CycleReport due = fleet.runCycle("");
        assertTrue(due.complete(), due.summary());
        assertEquals(0, t.state, "freed: " + due.lines());
        assertNull(t.hostId);
        assertTrue(due.lines().stream().anyMatch(l -> l.startsWith("stale-host") && l.contains("builder1")
                && l.contains("task " + t.id) && l.contains("freed") && l.contains("silent 960 s > host_grace 900 s")),
                String.join("\n", due.lines()));
        // fenced before freeing: disabled with a comment, so a flapping builder takes no new work
        assertFalse(fleet.hub.host("builder1").enabled);
        assertTrue(fleet.hub.host("builder1").comment.startsWith("kojira-watchdog fenced: silent 960 s"));

        // another builder takes the task; the watchdog leaves that run alone
        fleet.builder(2).checkIn();
        assertEquals(1, t.state);
        assertEquals(fleet.host("builder2"), t.hostId);
        for (int i = 0; i < 3; i++) {
            fleet.advance(STEP, STEP, survivors());
            CycleReport later = fleet.runCycle("");
            assertTrue(later.verdicts().stream().noneMatch(v -> v.decision().task() != null),
                    String.join("\n", later.lines()));
        }
        assertEquals(1, freedRows(t.id), "freed exactly once");
        assertTrue(b1 > 0);
    }

    @Test
    void dryRunChangesNothingAndSaysWhatItWouldDo() {
        SimTask t = builderDiesHoldingTask();
        fleet.advance(Duration.ofSeconds(1000), STEP, survivors());
        CycleReport r = fleet.runCycle("dry_run = yes\n");
        assertTrue(r.complete());
        assertEquals(1, t.state, "dry run must not free");
        assertTrue(fleet.hub.host("builder1").enabled, "dry run must not fence");
        assertTrue(r.verdicts().stream().allMatch(v -> v.outcome() == Outcome.DRY_RUN), String.join("\n", r.lines()));
        assertTrue(r.lines().stream().anyMatch(l -> l.contains("task " + t.id) && l.contains("dry-run")
                && l.contains("free")));
        assertEquals(0, freedRows(t.id));
        assertTrue(fleet.store().trail().list(true, 50).stream().anyMatch(a -> "dry-run".equals(a.outcome())));
        assertTrue(fleet.store().trail().list(false, 50).isEmpty(), "audit lists only actions that changed the hub");
    }

    @Test
    void rateLimitSpreadsFreesOverCycles() {
        SimTask[] tasks = new SimTask[5];
        for (int i = 0; i < 5; i++) {
            tasks[i] = fleet.hub.makeTask("sleep");
            fleet.hub.openOn(tasks[i], fleet.hub.host("builder1"));
        }
        fleet.builder(1).checkIn();
        fleet.advance(Duration.ofSeconds(1000), STEP, survivors());
        String cfg = "max_frees_per_cycle = 2\nfence = no\n";
        assertEquals(2, fleet.runCycle(cfg).verdicts().stream().filter(v -> v.outcome() == Outcome.FREED).count());
        assertTrue(fleet.store().trail().list(true, 50).stream().anyMatch(a -> a.outcome().equals("guard: rate limit")));
        assertEquals(2, fleet.runCycle(cfg).verdicts().stream().filter(v -> v.outcome() == Outcome.FREED).count());
        assertEquals(1, fleet.runCycle(cfg).verdicts().stream().filter(v -> v.outcome() == Outcome.FREED).count());
        for (SimTask t : tasks) {
            assertEquals(0, t.state);
        }
    }

    @Test
    void fencedHostIsEnabledAgainAfterHealthyCheckIns() throws Exception {
        fleet.hub.host("builder1").comment = "rack 4";
        SimTask t = builderDiesHoldingTask();
        fleet.advance(Duration.ofSeconds(1000), STEP, survivors());
        fleet.runCycle("");
        assertFalse(fleet.hub.host("builder1").enabled);
        assertEquals(0, t.state);
        // the builder comes back (kojid restarted with --force-lock) and checks in
        try (SimBuilder again = new SimBuilder(fleet.hub.uri(), "builder1", 2).login()) {
            fleet.advance(Duration.ofSeconds(300), STEP, fleet.builder(2), fleet.builder(3), fleet.builder(4), again);
            fleet.runCycle("fence_release = 600s\n");
            assertFalse(fleet.hub.host("builder1").enabled, "healthy 300 s < fence_release 600 s");
            fleet.advance(Duration.ofSeconds(660), STEP, fleet.builder(2), fleet.builder(3), fleet.builder(4), again);
            CycleReport r = fleet.runCycle("fence_release = 600s\n");
            assertTrue(fleet.hub.host("builder1").enabled, String.join("\n", r.lines()));
            assertEquals("rack 4", fleet.hub.host("builder1").comment);
            assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("fence-release") && l.contains("unfenced")));
        }
    }

    private long freedRows(long taskId) {
        return fleet.store().trail().list(true, 500).stream()
                .filter(a -> a.taskId() != null && a.taskId() == taskId && a.outcome().equals("freed")).count();
    }
}

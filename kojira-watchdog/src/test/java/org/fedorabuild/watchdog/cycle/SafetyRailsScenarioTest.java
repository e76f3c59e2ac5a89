package org.fedorabuild.watchdog.cycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.fedorabuild.watchdog.audit.AuditStore;
import org.fedorabuild.watchdog.guard.Outcome;
import org.fedorabuild.watchdog.sim.Fleet;
import org.fedorabuild.watchdog.sim.SimBuilder;
import org.fedorabuild.watchdog.sim.SimTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Outages, the stale-fraction guard, partial and stalled answers. */
class SafetyRailsScenarioTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations(AuditStore.MIGRATIONS);
    private static final Duration STEP = Duration.ofSeconds(60);

    private Fleet fleet;

    @AfterEach
    void close() throws Exception {
        fleet.close();
    }

    private long acted() {
        return fleet.store().trail().list(false, 1000).size();
    }

    @Test
    void hubUnreachableForALongStretchThenBackFreesNothingDuringOrRightAfter() throws Exception {
        fleet = new Fleet(PG.dataSource(), 4);
        SimTask[] work = new SimTask[4];
        for (int i = 0; i < 4; i++) {
            work[i] = fleet.hub.makeTask("sleep");
            fleet.builder(i + 1).checkIn();
        }
        for (SimTask t : work) {
            assertEquals(1, t.state);
        }
        assertTrue(fleet.runCycle("").complete());

        // The hub goes away for 40 minutes (on its clock); nobody can check in, the watchdog cannot read.
        fleet.hub.goDown();
        for (int i = 0; i < 4; i++) {
            fleet.hub.clock.advance(Duration.ofMinutes(10));
            CycleReport r = fleet.runCycle("");
            assertEquals(CycleReport.Status.UNREACHABLE, r.status(), r.summary());
        }
        assertEquals("unreachable", fleet.store().outages().openKind());
        fleet.hub.comeBack();

        // First cycle back: every host looks silent for 2400 s, nobody could hear them.
        CycleReport back = fleet.runCycle("");
        assertTrue(back.complete(), back.summary());
        assertTrue(back.lines().stream().anyMatch(l -> l.contains("guard")), String.join("\n", back.lines()));
        assertEquals(0, acted());

        // Builders 2-4 reconnect (kojid retries) and check in; builder1 died during the outage.
        SimBuilder[] alive = {fleet.builder(2), fleet.builder(3), fleet.builder(4)};
        fleet.advance(Duration.ofSeconds(120), STEP, alive);
        CycleReport warm = fleet.runCycle("");
        assertTrue(warm.verdicts().stream().filter(v -> v.decision().task() != null)
                .allMatch(v -> v.outcome() == Outcome.GUARD_WARMUP), String.join("\n", warm.lines()));
        assertTrue(warm.lines().stream().anyMatch(l -> l.contains("warm-up")), String.join("\n", warm.lines()));
        assertEquals(1, work[0].state, "builder1's task is not freed right after the outage");
        assertEquals(0, acted());

        // After the warm-up, the really dead builder1 is judged (its tasks freed); the others kept theirs.
        fleet.advance(Duration.ofSeconds(660), STEP, alive); // warm-up counts from the end of the all-silent outage
        CycleReport after = fleet.runCycle("");
        assertEquals(0, work[0].state, String.join("\n", after.lines()));
        for (int i = 1; i < 4; i++) {
            assertEquals(1, work[i].state, "healthy builders keep their tasks");
        }
    }

    @Test
    void checkWithNoRecordedOutageActsAtOnce() throws Exception {
        fleet = new Fleet(PG.dataSource(), 4);
        SimTask t = fleet.hub.makeTask("sleep");
        fleet.builder(1).checkIn();
        fleet.advance(Duration.ofSeconds(1000), STEP, fleet.builder(2), fleet.builder(3), fleet.builder(4));
        CycleReport r = fleet.runCycle("");
        assertEquals(0, t.state, String.join("\n", r.lines()));
    }

    @Test
    void sixtyPercentStaleTripsTheGuardAndFreesNothing() throws Exception {
        fleet = new Fleet(PG.dataSource(), 5);
        SimTask[] work = new SimTask[3];
        for (int i = 0; i < 3; i++) {
            work[i] = fleet.hub.makeTask("sleep");
            fleet.builder(i + 1).checkIn();
        }
        fleet.advance(Duration.ofSeconds(1200), STEP, fleet.builder(4), fleet.builder(5));
        CycleReport r = fleet.runCycle("");
        assertTrue(r.complete());
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("guard") && l.contains("3 of 5 enabled hosts stale (60%)")
                && l.contains("guard")), String.join("\n", r.lines()));
        assertTrue(r.verdicts().stream().filter(v -> v.decision().task() != null)
                .allMatch(v -> v.outcome() == Outcome.GUARD_STALE_FRACTION));
        for (SimTask t : work) {
            assertEquals(1, t.state, "nothing freed");
        }
        assertTrue(fleet.hub.host("builder1").enabled, "nothing fenced");
        assertEquals(0, acted());
        assertNull(fleet.store().outages().openKind(), "60% silent is not all silent: no outage recorded");
    }

    @Test
    void everyHostSilentAtOnceIsRecordedAsAnOutage() throws Exception {
        fleet = new Fleet(PG.dataSource(), 3);
        SimTask t = fleet.hub.makeTask("sleep");
        fleet.builder(1).checkIn();
        fleet.builder(2).checkIn();
        fleet.builder(3).checkIn();
        fleet.hub.clock.advance(Duration.ofSeconds(2000));
        CycleReport r = fleet.runCycle("");
        assertTrue(r.lines().stream().anyMatch(l -> l.contains("guard")));
        assertEquals("all-silent", fleet.store().outages().openKind());
        assertEquals(1, t.state);
        // two come back: the outage closes and the warm-up starts; builder1 is not judged yet
        fleet.advance(Duration.ofSeconds(60), STEP, fleet.builder(2), fleet.builder(3));
        fleet.runCycle("");
        assertNull(fleet.store().outages().openKind());
        assertEquals(1, t.state);
    }

    @Test
    void partialAnswerJudgesNothing() throws Exception {
        fleet = new Fleet(PG.dataSource(), 4);
        SimTask t = fleet.hub.makeTask("sleep");
        fleet.builder(1).checkIn();
        fleet.advance(Duration.ofSeconds(1000), STEP, fleet.builder(2), fleet.builder(3), fleet.builder(4));
        fleet.hub.faultOn("getLastHostUpdate");
        CycleReport r = fleet.runCycle("");
        assertEquals(CycleReport.Status.INCOMPLETE, r.status());
        assertTrue(r.problem().contains("getLastHostUpdate"), r.problem());
        assertEquals(1, t.state);
        assertNull(fleet.store().outages().openKind(), "a partial answer is not an outage");
        fleet.hub.faultOn(null);
        assertEquals(0, fleet.runCycle("").complete() ? t.state : -1);
    }

    @Test
    void stalledHubEndsTheCycleWithinTheTimeouts() throws Exception {
        fleet = new Fleet(PG.dataSource(), 2);
        fleet.hub.hangRequests();
        long t0 = System.nanoTime();
        CycleReport r = fleet.runCycle("");
        double secs = (System.nanoTime() - t0) / 1e9;
        fleet.hub.release();
        assertEquals(CycleReport.Status.UNREACHABLE, r.status(), r.summary());
        assertTrue(secs < 15, "took " + secs + " s");
        assertFalse(r.complete());
    }
}

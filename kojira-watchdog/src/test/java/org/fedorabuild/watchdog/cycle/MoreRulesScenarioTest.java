package org.fedorabuild.watchdog.cycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.fedorabuild.watchdog.audit.AuditStore;
import org.fedorabuild.watchdog.sim.Fleet;
import org.fedorabuild.watchdog.sim.SimBuilder;
import org.fedorabuild.watchdog.sim.SimTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Hung tasks on live hosts, tasks stranded on disabled hosts, ASSIGNED tasks never opened. */
class MoreRulesScenarioTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations(AuditStore.MIGRATIONS);
    private static final Duration STEP = Duration.ofMinutes(5);

    private Fleet fleet;
    private SimBuilder[] all;

    @BeforeEach
    void fleet() throws Exception {
        fleet = new Fleet(PG.dataSource(), 4);
        all = fleet.builders.toArray(new SimBuilder[0]);
    }

    @AfterEach
    void close() throws Exception {
        fleet.close();
    }

    @Test
    void hungTaskOnLiveHostIsFreedOrCanceledByPolicy() {
        SimTask hung = fleet.hub.makeTask("buildArch");
        SimTask busy = fleet.hub.makeTask("buildArch");
        fleet.builder(1).checkIn();
        fleet.builder(2).checkIn();
        assertEquals(1, hung.state);
        assertEquals(1, busy.state);
        fleet.hub.addOutput(hung, "build.log", 100);
        String cfg = "hung_task_timeout = 2h\nhung_task_action = cancel\n";
        for (int i = 0; i < 30; i++) { // 2.5 h; busy's log grows every step
            fleet.advance(STEP, STEP, all);
            fleet.hub.addOutput(busy, "build.log", 100L * (i + 2));
            CycleReport r = fleet.runCycle(cfg);
            assertTrue(r.complete(), r.summary());
            if (hung.state != 1) {
                assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("hung-task") && l.contains("task " + hung.id)
                        && l.contains("canceled") && l.contains("hung_task_timeout 7200 s")), String.join("\n", r.lines()));
                break;
            }
        }
        assertEquals(3, hung.state, "canceled");
        assertEquals(1, busy.state, "a task whose output grows is not hung");
        assertTrue(fleet.hub.host("builder1").enabled, "hung task: the host is alive, not fenced");
    }

    @Test
    void taskOnDisabledLiveHostIsFreedAfterTheDeadline() {
        SimTask t = fleet.hub.makeTask("sleep");
        fleet.builder(1).checkIn();
        fleet.runCycle("");
        fleet.hub.host("builder1").enabled = false; // an operator disabled it; kojid keeps running
        String cfg = "disabled_task_deadline = 1h\nhung_task_timeout = 0\n";
        fleet.runCycle(cfg); // first sighting disabled
        fleet.advance(Duration.ofMinutes(55), STEP, all);
        fleet.runCycle(cfg);
        assertEquals(1, t.state, "55 min < 1 h");
        fleet.advance(Duration.ofMinutes(10), STEP, all);
        CycleReport r = fleet.runCycle(cfg);
        assertEquals(0, t.state, String.join("\n", r.lines()));
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("disabled-host-task") && l.contains("builder1")));
    }

    @Test
    void assignedTaskNeverOpenedIsFreed() {
        SimTask t = fleet.hub.makeTask("sleep");
        t.state = 4;
        t.hostId = fleet.host("builder1");
        String cfg = "assign_timeout = 900s\n";
        fleet.runCycle(cfg);
        // builder1 checks in but has no room, so it never opens it
        fleet.advance(Duration.ofMinutes(10), STEP, fleet.builder(2), fleet.builder(3), fleet.builder(4));
        fleet.hub.touch(fleet.hub.host("builder1"));
        fleet.runCycle(cfg);
        assertEquals(4, t.state);
        fleet.advance(Duration.ofMinutes(10), STEP, fleet.builder(2), fleet.builder(3), fleet.builder(4));
        fleet.hub.touch(fleet.hub.host("builder1"));
        CycleReport r = fleet.runCycle(cfg);
        assertEquals(0, t.state, String.join("\n", r.lines()));
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("assigned-not-opened") && l.contains("task " + t.id)));
    }
}

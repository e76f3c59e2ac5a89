package org.fedorabuild.watchdog.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.fedorabuild.watchdog.audit.AuditStore;
import org.fedorabuild.watchdog.audit.DrainStore;
import org.fedorabuild.watchdog.config.WatchdogConfig;
import org.fedorabuild.watchdog.cycle.CycleReport;
import org.fedorabuild.watchdog.cycle.WatchdogCycle;
import org.fedorabuild.watchdog.hub.FleetSnapshot;
import org.fedorabuild.watchdog.hub.HubSession;
import org.fedorabuild.watchdog.hub.SnapshotReader;
import org.fedorabuild.watchdog.sim.Fleet;
import org.fedorabuild.watchdog.sim.SimBuilder;
import org.fedorabuild.watchdog.sim.SimTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Drain with a deadline: disable, wait, free the rest at the deadline, decommission (hook). Auto mode limits. */
class DrainScenarioTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations(AuditStore.MIGRATIONS);
    private static final Duration STEP = Duration.ofMinutes(1);

    @TempDir
    Path dir;
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

    private WatchdogCycle cycle(WatchdogConfig cfg) {
        AuditStore store = fleet.store();
        return new WatchdogCycle(cfg, store, null).withStep(new Drainer(cfg, store, new Decommissioner(cfg.drain()), null));
    }

    @Test
    void drainWithDeadlineWaitsFreesTheRestAndDecommissions() throws Exception {
        SimTask quick = fleet.hub.makeTask("sleep");
        SimTask slow = fleet.hub.makeTask("sleep");
        assertEquals(List.of(quick.id, slow.id), fleet.builder(1).checkIn());
        Path gone = dir.resolve("gone");
        WatchdogConfig cfg = fleet.config("decommission_hook = touch " + gone + "-{host}\n");
        AuditStore store = fleet.store();
        Drainer drainer = new Drainer(cfg, store, new Decommissioner(cfg.drain()), null);
        try (HubSession hub = HubSession.open(cfg.hub())) {
            FleetSnapshot s = new SnapshotReader(hub).read();
            drainer.start(hub, s, s.host("builder1"), Duration.ofMinutes(30), "operator drain");
        }
        assertFalse(fleet.hub.host("builder1").enabled);
        assertTrue(fleet.hub.host("builder1").comment.startsWith(Drainer.DRAIN_COMMENT_PREFIX));

        fleet.advance(Duration.ofMinutes(10), STEP, all);
        fleet.builder(1).closeTask(quick.id); // finishes one task while draining
        fleet.advance(Duration.ofMinutes(10), STEP, all);
        CycleReport mid = cycle(cfg).run();
        assertEquals(1, slow.state, "before the deadline the drain waits: " + mid.lines());
        assertEquals("draining", store.drains().list(true).get(0).state());
        assertTrue(fleet.hub.task(slow.id).hostId == fleet.host("builder1"));

        fleet.advance(Duration.ofMinutes(11), STEP, all);
        CycleReport due = cycle(cfg).run();
        assertEquals(0, slow.state, String.join("\n", due.lines()));
        assertTrue(due.lines().stream().anyMatch(l -> l.startsWith("drain") && l.contains("task " + slow.id)
                && l.contains("freed")), String.join("\n", due.lines()));
        assertTrue(due.lines().stream().anyMatch(l -> l.contains("decommissioned")), String.join("\n", due.lines()));
        assertTrue(Files.exists(Path.of(gone + "-builder1")), "hook ran");
        assertEquals("done", store.drains().list(false).get(0).state());
        assertEquals(2, quick.state);
    }

    @Test
    void autoDrainHonoursTheLimitPerChannel() {
        fleet.hub.makeTask("sleep");
        fleet.builder(3).checkIn(); // builder3 holds a task, so its drain stays active
        WatchdogConfig cfg = fleet.config("auto_drain = yes\nauto_drain_hosts = builder3, builder4\n"
                + "max_drains_per_channel = 1\n");
        CycleReport r = cycle(cfg).run();
        assertTrue(r.complete(), r.summary());
        long draining = fleet.store().drains().list(true).size();
        assertEquals(1, draining, String.join("\n", r.lines()));
        assertTrue(r.lines().stream().anyMatch(l -> l.contains("already has 1 draining")), String.join("\n", r.lines()));
    }

    @Test
    void hostFailingEveryTaskIsFlagged() {
        for (int i = 0; i < 5; i++) {
            SimTask t = fleet.hub.makeTask("buildArch");
            fleet.builder(2).checkIn();
            fleet.builder(2).failTask(t.id);
        }
        WatchdogConfig cfg = fleet.config("auto_drain = yes\nauto_drain_fail_count = 5\n");
        CycleReport r = cycle(cfg).run();
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("drain") && l.contains("builder2")
                && l.contains("failed all 5 tasks")), String.join("\n", r.lines()));
        assertFalse(fleet.hub.host("builder2").enabled);
    }

    private static boolean hasLine(CycleReport r, String rule, String host, String text) {
        return r.lines().stream().anyMatch(l -> l.startsWith(rule) && l.contains(host) && l.contains(text));
    }

    /** Each builder (back, or new) checks in and opens a task. */
    private void giveWork(SimBuilder... builders) {
        for (SimBuilder b : builders) {
            fleet.hub.makeTask("sleep");
            assertFalse(b.checkIn().isEmpty(), b.name() + " took a task");
        }
    }

    private void assertNoDrain(CycleReport r) {
        assertTrue(r.complete(), r.summary());
        assertTrue(fleet.store().drains().list(false).isEmpty(), String.join("\n", r.lines()));
        assertTrue(r.lines().stream().noneMatch(l -> l.startsWith("drain")), String.join("\n", r.lines()));
    }

    /**
     * The policy with its defaults (auto_drain_stale_count 3, fence on): a builder that keeps dying is fenced
     * and freed each time, comes back and is released; it is drained only once three cycles freed it for
     * staleness, and only in a cycle that sees it enabled again (a host fenced by this watchdog is left to
     * fence-release, not drained).
     */
    @Test
    void hostFreedForStalenessInThreeCyclesIsDrainedThenAndNotBefore() {
        WatchdogConfig cfg = fleet.config("auto_drain = yes\n");
        Duration step = Duration.ofSeconds(120);
        SimBuilder[] others = {fleet.builder(2), fleet.builder(3), fleet.builder(4)};
        for (int cycles = 1; cycles <= 3; cycles++) {
            SimTask t = fleet.hub.makeTask("sleep");
            assertEquals(List.of(t.id), fleet.builder(1).checkIn());
            fleet.advance(Duration.ofSeconds(960), step, others);
            CycleReport stale = cycle(cfg).run();
            assertTrue(hasLine(stale, "stale-host", "builder1", "task " + t.id) && hasLine(stale, "stale-host", "builder1",
                    "fenced"), String.join("\n", stale.lines()));
            assertNoDrain(stale);
            fleet.advance(step, step, all); // back, and checking in healthily
            assertNoDrain(cycle(cfg).run());
            fleet.advance(Duration.ofSeconds(720), step, all);
            CycleReport released = cycle(cfg).run();
            assertTrue(hasLine(released, "fence-release", "builder1", "unfenced"), String.join("\n", released.lines()));
            assertNoDrain(released);
        }
        CycleReport flagged = cycle(cfg).run();
        assertTrue(hasLine(flagged, "drain", "builder1", "auto: freed for staleness in 3 cycles within 86400 s"),
                String.join("\n", flagged.lines()));
        assertFalse(fleet.hub.host("builder1").enabled);
        assertTrue(fleet.hub.host("builder1").comment.startsWith(Drainer.DRAIN_COMMENT_PREFIX + "auto: freed for staleness"));
        assertEquals(List.of("builder1"), fleet.store().drains().list(false).stream().map(DrainStore.DrainRow::hostName)
                .toList());
    }

    /**
     * auto_drain_stale_count 2, fence off, one drain per channel: two builders that die together twice are
     * both flagged, but only one drains while the other waits for the channel, cycle after cycle.
     */
    @Test
    void repeatedlyStaleHostsNeverDrainMoreThanTheChannelLimitAtOnce() {
        WatchdogConfig cfg = fleet.config("auto_drain = yes\nauto_drain_stale_count = 2\nfence = no\n"
                + "max_drains_per_channel = 1\n");
        Duration step = Duration.ofSeconds(120);
        SimBuilder[] flapping = {fleet.builder(1), fleet.builder(2)};
        SimBuilder[] others = {fleet.builder(3), fleet.builder(4)};
        for (int freed = 0; freed < 2; freed++) {
            giveWork(flapping);
            assertNoDrain(cycle(cfg).run()); // freed for staleness in 0, then 1 cycle(s) < 2
            fleet.advance(Duration.ofSeconds(960), step, others);
            CycleReport stale = cycle(cfg).run();
            for (SimBuilder b : flapping) {
                assertTrue(hasLine(stale, "stale-host", b.name(), "freed"), String.join("\n", stale.lines()));
            }
            assertNoDrain(stale); // this cycle's frees count from the next cycle on
        }
        giveWork(flapping); // so that a drain, once started, waits for its task
        for (int i = 0; i < 3; i++) {
            CycleReport r = cycle(cfg).run();
            assertEquals(List.of("builder1"), fleet.store().drains().list(true).stream().map(DrainStore.DrainRow::hostName)
                    .toList(), String.join("\n", r.lines()));
            assertTrue(hasLine(r, "drain", "builder2", "freed for staleness in 2 cycles")
                    && hasLine(r, "drain", "builder2", "channel default already has 1 draining host(s)"),
                    String.join("\n", r.lines()));
            assertTrue(fleet.hub.host("builder2").enabled, "builder2 waits for the channel");
            fleet.advance(step, step, all);
        }
    }
}

package org.fedorabuild.watchdog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.fedorabuild.watchdog.audit.AuditStore;
import org.fedorabuild.watchdog.sim.Fleet;
import org.fedorabuild.watchdog.sim.SimBuilder;
import org.fedorabuild.watchdog.sim.SimTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drain HOST --deadline D} waiting in the foreground (its {@code --poll} loop), against the
 * simulated hub: the deadline is on the hub's clock, which the test advances while the command polls every
 * 50 ms, so half an hour of draining takes well under a second. builder1 holds an OPEN task and keeps
 * checking in throughout, as a healthy builder being drained does.
 */
class DrainCommandTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations(AuditStore.MIGRATIONS);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration STEP = Duration.ofMinutes(1);

    @TempDir
    Path dir;
    private Fleet fleet;
    private SimBuilder[] all;
    private SimTask task;
    private Path conf;
    private final ExecutorService background = Executors.newSingleThreadExecutor();

    @BeforeEach
    void fleet() throws Exception {
        fleet = new Fleet(PG.dataSource(), 2);
        all = fleet.builders.toArray(new SimBuilder[0]);
        task = fleet.hub.makeTask("buildArch");
        assertEquals(List.of(task.id), fleet.builder(1).checkIn());
        conf = dir.resolve("kojira-watchdog.conf");
        Files.writeString(conf, fleet.configText(Fleet.database(PG) + "decommission_hook = touch " + dir + "/gone-{host}\n"));
    }

    @AfterEach
    void close() throws Exception {
        background.shutdownNow();
        fleet.close();
    }

    /**
     * Runs the drain of builder1 (deadline 30 min) in the background, then lets {@code elapsed} pass on the
     * hub's clock with the builders checking in; returns once the loop has looked at the hub since, with the
     * task still OPEN on builder1 and the command still waiting.
     */
    private Future<CliRun> drainBuilder1For(Duration elapsed) throws Exception {
        Future<CliRun> drain = background.submit(() -> CliRun.run("drain", "builder1", "--deadline", "30m",
                "--poll", "50ms", "--config", conf.toString()));
        awaitReads(drain, 2); // the read before the start, then the loop's first
        assertFalse(fleet.hub.host("builder1").enabled, "drain started");
        assertTrue(fleet.hub.host("builder1").comment.startsWith("kojira-watchdog draining: operator drain"));
        fleet.advance(elapsed, STEP, all);
        awaitReads(drain, 2);
        assertEquals(1, task.state, elapsed.toMinutes() + " min < deadline 30 min: the drain waits");
        assertFalse(drain.isDone());
        return drain;
    }

    /**
     * Waits until the command has read the hub {@code n} more times: each loop reads the fleet once
     * ({@code listHosts}), so after two reads one whole loop has run on what the test did before.
     */
    private void awaitReads(Future<CliRun> drain, int n) throws Exception {
        int target = fleet.hub.calls("listHosts") + n;
        long until = System.nanoTime() + WAIT.toNanos();
        while (fleet.hub.calls("listHosts") < target) {
            if (drain.isDone()) {
                fail("drain ended while it should wait: " + drain.get().out());
            }
            if (System.nanoTime() > until) {
                fail("drain did not poll the hub within " + WAIT.toSeconds() + " s");
            }
            Thread.sleep(10);
        }
    }

    private List<String> drainLines(CliRun r) {
        return r.out().lines().filter(l -> l.startsWith("drain")).toList();
    }

    @Test
    void taskFinishingBeforeTheDeadlineIsLeftToFinishThenTheHostIsDecommissioned() throws Exception {
        Future<CliRun> drain = drainBuilder1For(Duration.ofMinutes(20));
        fleet.builder(1).closeTask(task.id);
        CliRun r = drain.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(0, r.code(), r.out());
        assertTrue(drainLines(r).stream().anyMatch(l -> l.startsWith("drain   builder1 done: hook 'touch")), r.out());
        assertTrue(drainLines(r).stream().noneMatch(l -> l.contains("freed")), r.out());
        assertEquals(2, task.state, "closed by its builder, never freed");
        assertTrue(Files.exists(dir.resolve("gone-builder1")), "decommission hook ran");
        assertTrue(fleet.store().trail().list(true, 100).stream().noneMatch(a -> a.outcome().startsWith("freed")));
        assertEquals("done", fleet.store().drains().list(false).get(0).state());
    }

    @Test
    void taskStillOpenAtTheDeadlineIsFreedThenTheHostIsDecommissioned() throws Exception {
        Future<CliRun> drain = drainBuilder1For(Duration.ofMinutes(29));
        fleet.hub.clock.advance(Duration.ofMinutes(2)); // no check-in meanwhile: nobody takes the freed task yet
        CliRun r = drain.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(0, r.code(), r.out());
        assertTrue(drainLines(r).stream().anyMatch(l -> l.contains("builder1") && l.contains("task " + task.id)
                && l.contains("freed") && l.contains("drain deadline passed")), r.out());
        assertTrue(drainLines(r).stream().anyMatch(l -> l.startsWith("drain   builder1 done:")), r.out());
        assertEquals(0, task.state, "freed at the deadline");
        assertNull(task.hostId);
        assertEquals(List.of(task.id), fleet.builder(2).checkIn(), "another builder takes it over");
        assertTrue(Files.exists(dir.resolve("gone-builder1")), "decommission hook ran");
        assertEquals(1, fleet.store().trail().list(false, 100).stream()
                .filter(a -> task.id == (a.taskId() == null ? -1 : a.taskId()) && a.outcome().equals("freed")).count());
    }
}

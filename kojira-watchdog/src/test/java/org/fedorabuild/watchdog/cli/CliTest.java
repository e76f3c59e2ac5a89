package org.fedorabuild.watchdog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.fedorabuild.watchdog.audit.AuditStore;
import org.fedorabuild.watchdog.sim.Fleet;
import org.fedorabuild.watchdog.sim.SimTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end: check, check --dry-run, status, audit, drain --no-wait, exit codes. */
class CliTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations(AuditStore.MIGRATIONS);

    @TempDir
    Path dir;
    private Fleet fleet;
    private Path conf;
    private SimTask task;

    @BeforeEach
    void fleet() throws Exception {
        fleet = new Fleet(PG.dataSource(), 4);
        task = fleet.hub.makeTask("sleep");
        fleet.builder(1).checkIn();
        fleet.advance(Duration.ofSeconds(1000), Duration.ofSeconds(60), fleet.builder(2), fleet.builder(3), fleet.builder(4));
        conf = write("");
    }

    @AfterEach
    void close() throws Exception {
        fleet.close();
    }

    private Path write(String extra) throws Exception {
        Path p = dir.resolve("kojira-watchdog.conf");
        Files.writeString(p, fleet.configText(Fleet.database(PG) + extra));
        return p;
    }

    @Test
    void checkDryRunThenCheckThenAudit() {
        CliRun dry = CliRun.run("check", "--dry-run", "--config", conf.toString());
        assertEquals(0, dry.code(), dry.out());
        assertTrue(dry.out().contains("stale-host") && dry.out().contains("builder1") && dry.out().contains("task " + task.id)
                && dry.out().contains("dry-run"), dry.out());
        assertEquals(1, task.state);

        CliRun check = CliRun.run("check", "--config", conf.toString());
        assertEquals(0, check.code(), check.out());
        assertTrue(check.out().lines().anyMatch(l -> l.startsWith("stale-host") && l.contains("task " + task.id)
                && l.contains("freed") && l.contains("silent")), check.out());
        assertEquals(0, task.state);

        CliRun audit = CliRun.run("audit", "--config", conf.toString());
        assertEquals(0, audit.code());
        assertTrue(audit.out().lines().anyMatch(l -> l.contains("stale-host") && l.contains("builder1")
                && l.contains("task " + task.id) && l.contains("freed")), audit.out());
        assertTrue(audit.out().lines().noneMatch(l -> l.contains("dry-run")), audit.out());
        CliRun all = CliRun.run("audit", "--all", "--config", conf.toString());
        assertTrue(all.out().lines().anyMatch(l -> l.contains("dry-run")), all.out());
    }

    @Test
    void statusShowsTheFleetOnTheHubsClock() {
        CliRun status = CliRun.run("status", "--config", conf.toString());
        assertEquals(0, status.code(), status.out());
        assertTrue(status.out().lines().anyMatch(l -> l.startsWith("builder1") && l.contains("1020 s ago") && l.contains("STALE")),
                status.out());
        assertTrue(status.out().lines().anyMatch(l -> l.startsWith("builder2") && l.contains(" ok")), status.out());
    }

    @Test
    void unreachableHubEndsCheckNonZeroQuickly() throws Exception {
        fleet.hub.goDown();
        long t0 = System.nanoTime();
        CliRun r = CliRun.run("check", "--config", conf.toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("unreachable"), r.out());
        assertTrue((System.nanoTime() - t0) / 1e9 < 30);
        fleet.hub.comeBack();
    }

    @Test
    void stalledHubEndsCheckWithinCycleTimeout() throws Exception {
        Path c = write("cycle_timeout = 3s\n");
        fleet.hub.hangRequests();
        long t0 = System.nanoTime();
        CliRun r = CliRun.run("check", "--config", c.toString());
        fleet.hub.release();
        assertEquals(1, r.code(), r.out());
        assertTrue((System.nanoTime() - t0) / 1e9 < 10, "bounded by cycle_timeout / call_timeout");
    }

    @Test
    void badConfigReportsEveryProblemAndExits3() throws Exception {
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "[kojira-watchdog]\nserver = ftp://x\nfrobnicate = 1\nhost_grace = soon\n");
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = WatchdogMain.execute("check", "--config", bad.toString());
        } finally {
            System.setErr(oldErr);
        }
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(3, code, e);
        assertTrue(e.contains("unknown config option: frobnicate"), e);
        assertTrue(e.contains("host_grace") && e.contains("server"), e);
    }

    @Test
    void drainNoWaitDisablesWithComment() {
        CliRun r = CliRun.run("drain", "builder2", "--deadline", "30m", "--no-wait", "--config", conf.toString());
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("drain") && r.out().contains("builder2"), r.out());
        assertEquals(false, fleet.hub.host("builder2").enabled);
        assertTrue(fleet.hub.host("builder2").comment.startsWith("kojira-watchdog draining"));
    }
}

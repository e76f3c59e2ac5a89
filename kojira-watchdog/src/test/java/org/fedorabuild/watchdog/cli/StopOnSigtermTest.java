package org.fedorabuild.watchdog.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.fedorabuild.watchdog.audit.AuditStore;
import org.fedorabuild.watchdog.sim.Fleet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kojira-watchdog run} in a JVM of its own, on its own embedded PostgreSQL, gets SIGTERM while a cycle waits
 * on a hung hub: the cycle ends and records its result before the database stops, and the process exits.
 */
class StopOnSigtermTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations(AuditStore.MIGRATIONS);
    @TempDir
    Path tmp;

    @Test
    void theRunningCycleFinishesBeforeTheDatabaseStops() throws Exception {
        try (Fleet fleet = new Fleet(PG.dataSource(), 2)) {
            Path conf = tmp.resolve("watchdog.conf");
            Files.writeString(conf, fleet.configText("check_interval = 1s\ndata_dir = " + tmp.resolve("data") + "\n"));
            Path log = tmp.resolve("run.log");
            Process p = new ProcessBuilder("java", "-cp", System.getProperty("java.class.path"),
                    "org.fedorabuild.watchdog.cli.WatchdogMain", "run", "--config", conf.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(new File("/dev/null")).start();
            try {
                awaitLine(log, "Start completed.", 90, p);
                fleet.hub.hangRequests();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (fleet.hub.hungRequests() == 0 && System.nanoTime() < end) {
                    Thread.sleep(50);
                }
                assertTrue(fleet.hub.hungRequests() > 0, "a cycle is waiting on the hub");
                p.destroy(); // SIGTERM
                assertTrue(p.waitFor(100, TimeUnit.SECONDS), "exited after SIGTERM:\n" + Files.readString(log));
            } finally {
                p.destroyForcibly();
                fleet.hub.release();
            }
            List<String> lines = Files.readAllLines(log);
            int stopping = index(lines, "RunCommand - Stopping: no new cycle", 0);
            int cycleEnd = index(lines, "judged nothing", stopping);
            int dbStopped = index(lines, "EmbeddedPostgres - ", cycleEnd);
            while (dbStopped >= 0 && !lines.get(dbStopped).contains("Shutdown completed.")) {
                dbStopped = index(lines, "EmbeddedPostgres - ", dbStopped + 1);
            }
            String all = String.join("\n", lines);
            assertTrue(stopping >= 0 && cycleEnd > stopping && dbStopped > cycleEnd,
                    "stop asked, then the running cycle recorded, then PostgreSQL stopped:\n" + all);
            assertFalse(all.contains("Cycle failed"), "no cycle failed for want of its database:\n" + all);
            assertTrue(index(lines, "RunCommand - Shutdown completed.", dbStopped) > 0, all);
        }
    }

    private static int index(List<String> lines, String part, int from) {
        for (int i = Math.max(0, from); i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }

    private static void awaitLine(Path log, String part, int seconds, Process p) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end && p.isAlive()) {
            if (Files.exists(log) && Files.readString(log).contains(part)) {
                return;
            }
            Thread.sleep(100);
        }
        if (Files.exists(log) && Files.readString(log).contains(part)) {
            return;
        }
        throw new AssertionError("no line with '" + part + "' within " + seconds + " s" + (p.isAlive() ? "" : " (exited "
                + p.exitValue() + ")") + ":\n" + Files.readString(log));
    }
}

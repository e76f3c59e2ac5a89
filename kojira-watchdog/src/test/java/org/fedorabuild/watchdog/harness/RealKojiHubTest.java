package org.fedorabuild.watchdog.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.fedorabuild.watchdog.audit.AuditStore;
import org.fedorabuild.watchdog.cli.CliRun;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog against the real upstream Koji hub (1.35) with kojid stand-ins, logging in with a TLS client
 * certificate as a Koji admin would: a builder dies holding an OPEN task while another keeps checking in;
 * a dry run changes nothing; a real check fences the dead host and frees the task, which the hub's own
 * scheduler then gives to the live builder. The hub's HostTimeout is set far out so the freeing is ours.
 * Opt-in: {@code KOJI_SRC=/path/to/koji ./mvnw -pl kojira-watchdog -Pkoji-harness verify}.
 */
@Tag("koji-harness")
@EnabledIfEnvironmentVariable(named = "KOJI_SRC", matches = ".+")
class RealKojiHubTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations(AuditStore.MIGRATIONS);

    @TempDir
    Path dir;

    private static void waitFor(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long until = System.nanoTime() + 60_000_000_000L;
        while (!condition.call()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(300);
        }
    }

    @Test
    void freesTheTaskOfADeadBuilderOnARealHub() throws Exception {
        try (KojiHarness koji = KojiHarness.up(18680, "HostTimeout = 86400\nRunInterval = 0")) {
            String id = koji.koji("-p", "koji-admin", "call", "--json", "makeTask", "\"sleep\"", "[600]").strip();
            koji.builder("--host", "builder1", "--interval", "0.5", "--die-after-open");
            waitFor("builder1 to open task " + id, () -> koji.koji("taskinfo", id).contains("Host: builder1"));
            koji.builder("--host", "builder2", "--interval", "1", "--take", "none");
            Path conf = dir.resolve("kojira-watchdog.conf");
            Files.writeString(conf, "[kojira-watchdog]\nserver = " + koji.get("KOJI_HUB_URL").replace("http://", "https://")
                    + "\nauthtype = ssl\ncert = " + koji.get("KOJI_HUB_ADMIN_CERT") + "\nserverca = " + koji.get("KOJI_HUB_CA")
                    + "\nhost_grace = 4s\noutage_warmup = 1s\ndb_url = " + PG.jdbcUrl() + "\ndb_user = " + PG.user()
                    + "\ndb_password = " + PG.password() + "\n");
            Thread.sleep(5000);

            CliRun dry = CliRun.run("check", "--dry-run", "--config", conf.toString());
            assertEquals(0, dry.code(), dry.out());
            assertTrue(dry.out().lines().anyMatch(l -> l.startsWith("stale-host") && l.contains("builder1")
                    && l.contains("task " + id) && l.contains("dry-run")), dry.out());
            assertTrue(koji.koji("taskinfo", id).contains("Host: builder1"), "a dry run changes nothing");

            CliRun check = CliRun.run("check", "--config", conf.toString());
            assertEquals(0, check.code(), check.out());
            assertTrue(check.out().lines().anyMatch(l -> l.startsWith("stale-host") && l.contains("task " + id)
                    && l.contains("freed")), check.out());
            String host1 = koji.koji("hostinfo", "builder1");
            assertTrue(host1.contains("Enabled: no") && host1.contains("kojira-watchdog fenced"), host1);
            waitFor("the hub to give task " + id + " to builder2", () -> koji.koji("taskinfo", id).contains("Host: builder2"));

            CliRun again = CliRun.run("check", "--config", conf.toString());
            assertTrue(again.out().lines().noneMatch(l -> l.contains("task " + id) && l.contains("freed")),
                    "a task freed once and taken by another host is that host's now: " + again.out());
            CliRun audit = CliRun.run("audit", "--config", conf.toString());
            assertEquals(1, audit.out().lines().filter(l -> l.contains("task " + id) && l.contains("freed")).count(), audit.out());
        }
    }
}

package org.fedorabuild.hub.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.hub.cli.CoprHubMain;
import org.fedorabuild.hub.testing.BuildHub;
import org.fedorabuild.hub.testing.TinyPackages;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code copr-hub chain OWNER/PROJECT SRC… --wait} and {@code copr-hub chain status ID} run in-process (picocli,
 * as AdminCliTest does) against a running hub with the local builder, as a user with an API token file; and
 * canceling a chain through its parent task.
 */
class ChainCliTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path tmp;
    static BuildHub hub;
    static String token;
    static Path tokenFile;
    static final String CHROOT = "fedora-40-" + BuildHub.arch();

    @BeforeAll
    static void start() throws Exception {
        hub = BuildHub.start(PG.dataSource(), tmp.resolve("data"), "", 2);
        token = hub.user("dave", false);
        tokenFile = Files.writeString(tmp.resolve("token"), token + "\n");
        for (String p : List.of("dave/cli-ok", "dave/cli-bad", "dave/cancel")) {
            hub.project(p, CHROOT);
        }
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    record Run(int code, String out, String err) {
        int chainId() {
            return Integer.parseInt(out.replaceAll("(?s).*Created chain (\\d+) .*", "$1"));
        }
    }

    static Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--hub", hub.baseUrl() + "/kojihub"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CoprHubMain.newCommandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(all.toArray(new String[0]));
        return new Run(code, out.toString(), err.toString());
    }

    static Path srpm(String name, int seconds, List<String> buildRequires) throws Exception {
        return TinyPackages.srpm(tmp, name, TinyPackages.spec(name, "1.0", seconds, buildRequires, List.of()));
    }

    @Test
    void chainWaitBuildsEverythingAndExitsZero() throws Exception {
        Path base = srpm("cli-base", 0, List.of());
        Path lib = srpm("cli-lib", 0, List.of("cli-base"));
        Path app = srpm("cli-app", 0, List.of("cli-lib >= 1.0", "cli-base"));
        Run r = cli("chain", "dave/cli-ok", app.toString(), lib.toString(), base.toString(), "--wait",
                "--user", "dave", "--token-file", tokenFile.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("Created chain "), r.out());
        assertTrue(r.out().contains(": DONE\n") && r.out().contains("3 package(s): built 3"), r.out());
        int chain = r.chainId();
        Run status = cli("chain", "status", Integer.toString(chain));
        assertEquals(0, status.code(), status.err());
        assertTrue(status.out().contains("chain " + chain + " (dave/cli-ok") && status.out().contains("built 3"), status.out());
        assertTrue(hub.awaitInRepo("dave/cli-ok", CHROOT, "cli-app-1.0-1.fc40.noarch").contains("cli-app-1.0-1.fc40.noarch"));
    }

    @Test
    void chainWithAMissingBuildRequireExitsOneNamingPackageAndReason() throws Exception {
        Path good = srpm("clf-good", 0, List.of());
        Path bad = srpm("clf-bad", 0, List.of("clf-nobody-provides >= 2", "clf-good"));
        Path after = srpm("clf-after", 0, List.of("clf-bad"));
        Run r = cli("chain", "dave/cli-bad", after.toString(), bad.toString(), good.toString(), "--wait",
                "--user", "dave", "--token-file", tokenFile.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains(": FAILED\n"), r.out());
        assertTrue(r.out().contains("failed: clf-bad-1.0-1") && r.out().contains("clf-nobody-provides >= 2 is needed by clf-bad"),
                r.out());
        assertTrue(r.out().contains("skipped: clf-after-1.0-1") && r.out().contains("it needs clf-bad-1.0-1, which failed"), r.out());
        int chain = r.chainId();
        Run status = cli("chain", "status", Integer.toString(chain));
        assertEquals(0, status.code(), status.err());
        assertTrue(status.out().contains("built 1") && status.out().contains("failed 1") && status.out().contains("skipped 1"),
                status.out());
        assertTrue(status.out().contains("clf-nobody-provides >= 2 is needed by clf-bad"), status.out());
    }

    @Test
    void chainWithoutATokenIsBadUsage() throws Exception {
        Path p = srpm("clt-none", 0, List.of());
        Run r = cli("chain", "dave/cli-ok", p.toString(), "--user", "dave");
        // COPR_HUB_TOKEN is not set in the test environment
        if (System.getenv("COPR_HUB_TOKEN") == null) {
            assertEquals(2, r.code(), r.out() + r.err());
            assertTrue(r.err().contains("no API token"), r.err());
        }
    }

    /** The local builder's processes still running cc-slow's {@code sleep 120}. */
    static long sleeping() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(h -> h.info().commandLine().orElse("").matches("(.*/)?sleep 120")).count();
    }

    @Test
    void cancelingTheChainTaskCancelsRunningBuildsAndStartsNoMore() throws Exception {
        Path slow = srpm("cc-slow", 120, List.of());
        Path next = srpm("cc-next", 0, List.of("cc-slow"));
        Run r = cli("chain", "dave/cancel", next.toString(), slow.toString(), "--user", "dave", "--token-file", tokenFile.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        int chain = r.chainId();
        try (KojiClient k = hub.login("dave", token)) {
            // wait until the slow member's buildArch is running on the builder
            Integer buildArch = null;
            long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (buildArch == null) {
                assertTrue(System.nanoTime() < end, "cc-slow never started: " + ChainStatus.text((Map<?, ?>) k.call("coprChainStatus", chain)));
                buildArch = hub.hub.services.db.scalar("SELECT a.id FROM tasks a JOIN tasks b ON b.id = a.parent"
                        + " WHERE b.parent = ? AND a.method = 'buildArch' AND a.state = 1", chain).map(o -> (Integer) o).orElse(null);
                Thread.sleep(100);
            }
            Thread.sleep(1000); // into %build's sleep
            assertTrue(sleeping() > 0, "the local builder runs cc-slow's %build (sleep 120) in a child process");
            long t0 = System.nanoTime();
            k.call("cancelTask", chain);
            Map<?, ?> parent = (Map<?, ?>) k.call("getTaskInfo", chain);
            assertEquals(3L, ((Number) parent.get("state")).longValue(), "chain task canceled");
            Map<?, ?> arch = hub.await(k, buildArch, Duration.ofSeconds(30));
            assertEquals(3, ((Number) arch.get("state")).intValue(), "the running buildArch was canceled: " + arch);
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(60).toNanos(), "canceled, not waited out");
            long gone = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (sleeping() > 0 && System.nanoTime() < gone) {
                Thread.sleep(100);
            }
            assertEquals(0, sleeping(), "the canceled build's processes were killed on the builder");
            // the driver notices and stops the chain; the pending member never starts
            Map<?, ?> status = null;
            end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < end) {
                status = (Map<?, ?>) k.call("coprChainStatus", chain);
                if ("CANCELED".equals(status.get("state"))) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals("CANCELED", status.get("state"), ChainStatus.text(status));
            Thread.sleep(2000); // a few driver rounds later, still nothing started
            var next0 = hub.hub.services.db.queryOne("SELECT build_task_id, state FROM chain_members WHERE chain_id = ?"
                    + " AND nvr = 'cc-next-1.0-1'", chain).orElseThrow();
            assertNull(next0.get("build_task_id"), "the pending member never got a build task: " + next0);
            assertNotEquals("RUNNING", next0.get("state"));
            long open = (Long) hub.hub.services.db.scalar("WITH RECURSIVE t AS (SELECT id, state FROM tasks WHERE id = ?"
                    + " UNION ALL SELECT c.id, c.state FROM tasks c JOIN t ON c.parent = t.id) SELECT count(*) FROM t"
                    + " WHERE state IN (0, 1, 4)", chain).orElseThrow();
            assertEquals(0L, open, "no task of the chain is still free or open");
            Run text = cli("chain", "status", Integer.toString(chain));
            assertTrue(text.out().contains(": CANCELED"), text.out());
        }
    }
}

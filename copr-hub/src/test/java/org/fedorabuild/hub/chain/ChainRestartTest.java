package org.fedorabuild.hub.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.upload.FastUpload;
import org.fedorabuild.hub.testing.BuildHub;
import org.fedorabuild.hub.testing.TinyPackages;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub stopped mid-chain (one member built, the next one building) and started again on the same
 * database and data directory: the chain continues from its rows, the interrupted build is re-queued (not
 * counted as a new attempt), and every package is built once.
 */
class ChainRestartTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    Path tmp;

    @Test
    void chainResumesAfterAHubRestart() throws Exception {
        String chroot = "fedora-40-" + BuildHub.arch();
        Path data = tmp.resolve("data");
        List<Path> srpms = List.of(
                TinyPackages.srpm(tmp, "rs-c", TinyPackages.spec("rs-c", "1.0", 0, List.of("rs-b"), List.of())),
                TinyPackages.srpm(tmp, "rs-b", TinyPackages.spec("rs-b", "1.0", 3, List.of("rs-a"), List.of())),
                TinyPackages.srpm(tmp, "rs-a", TinyPackages.spec("rs-a", "1.0", 0, List.of(), List.of())));
        BuildHub first = BuildHub.start(PG.dataSource(), data, "", 1);
        String token = first.user("dave", false);
        first.project("dave/rs", chroot);
        int chain;
        try (KojiClient k = first.login("dave", token)) {
            List<Object> srcs = new ArrayList<>();
            for (Path p : srpms) {
                srcs.add(FastUpload.upload(k, p, FastUpload.uniqueDir("cli-build"), p.getFileName().toString(),
                        FastUpload.DEFAULT_BLOCK_SIZE).serverPath());
            }
            chain = ((Number) k.call("coprChainBuild", srcs, "dave/rs", Map.of())).intValue();
            long end = System.currentTimeMillis() + 60_000;
            while (first.hub.services.db.scalar("SELECT 1 FROM chain_members m JOIN tasks b ON b.parent = m.build_task_id"
                    + " WHERE m.chain_id = ? AND m.nvr = 'rs-b-1.0-1' AND b.state = 1", chain).isEmpty()
                    && System.currentTimeMillis() < end) {
                Thread.sleep(100);
            }
            Thread.sleep(500); // rs-b is in its %build sleep
        } finally {
            first.close();
        }
        assertEquals("BUILDING", first.hub.services.db.scalar("SELECT state FROM chains WHERE task_id = ?", chain).orElseThrow());
        BuildHub second = BuildHub.start(PG.dataSource(), data, "", 1);
        try (KojiClient k = second.login("dave", second.user("dave", false))) {
            assertEquals(2L, second.await(k, chain, Duration.ofMinutes(2)).get("state"));
            Map<?, ?> status = (Map<?, ?>) k.call("coprChainStatus", chain);
            assertEquals("DONE", status.get("state"), ChainStatus.text(status));
            assertEquals(3, ((Number) status.get("attempts")).intValue(), "the interrupted build was resumed, not retried");
            for (String name : List.of("rs-a", "rs-b", "rs-c")) {
                assertEquals(1L, second.hub.services.db.scalar("SELECT count(*) FROM builds b JOIN packages p ON p.id = b.package_id"
                        + " WHERE p.name = ?", name).orElseThrow(), name + " built once");
            }
        } finally {
            second.close();
        }
    }
}

package org.fedorabuild.hub.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.hub.testing.BuildHub;
import org.fedorabuild.hub.testing.FileServer;
import org.fedorabuild.hub.testing.TinyPackages;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code build(URL, target)} on the Koji API, as {@code koji build OWNER/PROJECT https://…/pkg.src.rpm} sends it:
 * the hub fetches the SRPM in a fetchSource child and builds it; a refused or failed fetch fails the build
 * with the reason in the task result. Real rpmbuild, real HTTP server, the local builder.
 */
class UrlBuildTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path tmp;
    static final String CHROOT = "fedora-40-" + BuildHub.arch();

    @Test
    void privateAddressIsRefusedByDefaultThenBuiltWhenAllowed() throws Exception {
        Path files = Files.createDirectories(tmp.resolve("www"));
        Path srpm = TinyPackages.srpm(tmp, "from-url", "1.0", 0);
        Files.copy(srpm, files.resolve(srpm.getFileName()));
        try (FileServer www = new FileServer(files)) {
            String url = www.url(srpm.getFileName().toString());
            String token;
            try (BuildHub strict = BuildHub.start(PG.dataSource(), tmp.resolve("data1"), "", 0)) {
                token = strict.user("alice", false);
                strict.project("alice/web", CHROOT);
                try (KojiClient k = strict.login("alice", token)) {
                    int task = ((Number) k.call("build", url, "alice/web", Map.of())).intValue();
                    Map<?, ?> info = strict.await(k, task, Duration.ofSeconds(60));
                    assertEquals(5L, info.get("state"), "failed: " + info);
                    String why = assertThrows(KojiFault.class, () -> k.call("getTaskResult", task)).getMessage();
                    assertTrue(why.contains("127.0.0.1, a loopback address") && why.contains("fetchSource (fetch"), why);
                    assertTrue(www.requested.isEmpty(), "no request reached the server: " + www.requested);
                    String bad = assertThrows(KojiFault.class, () -> k.call("build", "https://example.org/notes.txt", "alice/web",
                            Map.of())).getMessage();
                    assertTrue(bad.contains("expected a URL of an SRPM"), bad);
                }
            }
            try (BuildHub open = BuildHub.start(PG.dataSource(), tmp.resolve("data2"), "SourceURLAllowPrivate = yes\n", 2);
                    KojiClient k = open.login("alice", token)) {
                int task = ((Number) k.call("build", url, "alice/web", Map.of())).intValue();
                Map<?, ?> info = open.await(k, task, Duration.ofMinutes(2));
                assertEquals(2L, info.get("state"), "closed: " + info);
                List<?> children = (List<?>) k.call("getTaskChildren", task);
                assertEquals(List.of("fetchSource", "buildArch"), children.stream().map(c -> ((Map<?, ?>) c).get("method")).toList());
                Map<?, ?> fetched = (Map<?, ?>) k.call("getTaskResult", ((Map<?, ?>) children.get(0)).get("id"));
                assertEquals(url, fetched.get("url"));
                assertEquals(Files.size(srpm), ((Number) fetched.get("size")).longValue());
                assertTrue(open.awaitInRepo("alice/web", CHROOT, "from-url-1.0-1.fc40.noarch").contains("from-url-1.0-1.fc40.noarch"));

                int missing = ((Number) k.call("build", www.url("gone-1.0-1.src.rpm"), "alice/web", Map.of())).intValue();
                assertEquals(5L, open.await(k, missing, Duration.ofSeconds(60)).get("state"));
                String why = assertThrows(KojiFault.class, () -> k.call("getTaskResult", missing)).getMessage();
                assertTrue(why.contains("HTTP 404"), why);
            }
        }
    }
}

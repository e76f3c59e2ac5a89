package org.fedorabuild.hub.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.hub.testing.BuildHub;
import org.fedorabuild.hub.testing.FileServer;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build from a {@code .spec} URL: the hub fetches the spec and its Source URL (a local HTTP server), a builder
 * makes the SRPM in its sandbox without network, and the package is built with the Source's content in it. A
 * Source that cannot be fetched fails the build naming it. Real HTTP, rpmbuild, the local builder.
 */
class SpecUrlBuildTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path tmp;
    static final String CHROOT = "fedora-40-" + BuildHub.arch();

    static String spec(String name, String sourceUrlBase) {
        return "Name: " + name + "\nVersion: 2.0\nRelease: 1%{?dist}\nSummary: from a spec URL\nLicense: MIT\nBuildArch: noarch\n"
                + "URL: " + sourceUrlBase + "\nSource0: %{url}%{name}-data-%{version}.txt\n\n%description\nBuilt from a spec URL.\n\n"
                + "%install\nmkdir -p %{buildroot}/usr/share/%{name}\ninstall -m 644 %{SOURCE0} %{buildroot}/usr/share/%{name}/data.txt\n\n"
                + "%files\n/usr/share/%{name}/data.txt\n";
    }

    @Test
    void aSpecUrlIsBuiltWithItsSourcesFetchedByTheHub() throws Exception {
        Path files = Files.createDirectories(tmp.resolve("www"));
        try (FileServer www = new FileServer(files);
                BuildHub hub = BuildHub.start(PG.dataSource(), tmp.resolve("data"), "SourceURLAllowPrivate = yes\n", 2)) {
            String base = www.url("");
            Files.writeString(files.resolve("fromspec.spec"), spec("fromspec", base));
            Files.writeString(files.resolve("fromspec-data-2.0.txt"), "payload fetched by the hub\n", StandardCharsets.UTF_8);
            Files.writeString(files.resolve("nosource.spec"), spec("nosource", base));
            String token = hub.user("alice", false);
            hub.project("alice/spec", CHROOT);
            try (KojiClient k = hub.login("alice", token)) {
                int task = ((Number) k.call("build", www.url("fromspec.spec"), "alice/spec", Map.of())).intValue();
                Map<?, ?> info = hub.await(k, task, Duration.ofMinutes(2));
                assertEquals(2L, info.get("state"), "closed: " + info + " " + www.requested);
                List<?> children = (List<?>) k.call("getTaskChildren", task);
                assertEquals(List.of("fetchSource", "buildSRPMFromSCM", "buildArch"),
                        children.stream().map(c -> ((Map<?, ?>) c).get("method")).toList());
                Map<?, ?> fetched = (Map<?, ?>) k.call("getTaskResult", ((Map<?, ?>) children.get(0)).get("id"));
                assertEquals(List.of("fromspec-data-2.0.txt"), fetched.get("sources"));
                assertTrue(www.requested.toString().contains("fromspec-data-2.0.txt"), www.requested.toString());
                assertTrue(hub.awaitInRepo("alice/spec", CHROOT, "fromspec-2.0-1.fc40.noarch").contains("fromspec-2.0-1.fc40.noarch"));

                int missing = ((Number) k.call("build", www.url("nosource.spec"), "alice/spec", Map.of())).intValue();
                assertEquals(5L, hub.await(k, missing, Duration.ofSeconds(60)).get("state"));
                String why = assertThrows(KojiFault.class, () -> k.call("getTaskResult", missing)).getMessage();
                assertTrue(why.contains("nosource-data-2.0.txt") && why.contains("HTTP 404"), why);
            }
        }
    }
}

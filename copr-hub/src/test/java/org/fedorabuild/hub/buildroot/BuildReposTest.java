package org.fedorabuild.hub.buildroot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fedorabuild.hub.chain.Capability;
import org.fedorabuild.hub.source.SourceFetcher;
import org.fedorabuild.hub.source.SourceUrlSettings;
import org.fedorabuild.hub.testing.FileServer;
import org.fedorabuild.hub.testing.TinyPackages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub reads build repositories that strangers name with its checked HTTP client: a repository on a
 * loopback (or any private) address is refused unless the hub allows them, the packages of one build must fit
 * its disk limit, and this hub's own published repositories are read from its storage root, wherever its
 * public URL points. What a package requires is fetched with it.
 */
class BuildReposTest {
    @TempDir
    static Path tmp;
    static Path results;
    static FileServer http;
    static final List<Capability> WANT = List.of(Capability.parse("brt-lib >= 1"));

    @BeforeAll
    static void repo() throws Exception {
        Path lib = TinyPackages.srpm(tmp, "brt-lib", TinyPackages.spec("brt-lib", "1.5", 0, List.of(), List.of())
                .replace("BuildArch: noarch\n", "BuildArch: noarch\nRequires: brt-core\n"));
        Path core = TinyPackages.srpm(tmp, "brt-core", TinyPackages.spec("brt-core", "2.0", 0, List.of(), List.of()));
        results = tmp.resolve("storage");
        TinyPackages.binaryRepo(tmp, results.resolve("alice/tools/fedora-40-x86_64"), lib, core);
        http = new FileServer(results);
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    static SourceFetcher fetcher(boolean allowPrivate) {
        return new SourceFetcher(new SourceUrlSettings(allowPrivate, 1L << 30, Duration.ofSeconds(60)));
    }

    static List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aRepositoryOnALoopbackAddressIsRefusedByDefault() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path into = tmp.resolve("refused");
        try (SourceFetcher f = fetcher(false)) {
            Map<String, String> got = new BuildRepos(f, null, null).fetch(List.of(http.url("alice/tools/fedora-40-x86_64/")), WANT,
                    into, new PrintStream(log, true, StandardCharsets.UTF_8), 1L << 30);
            assertEquals(Map.of(), got);
        }
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("cannot be read") && text.contains("loopback"), text);
        assertEquals(List.of(), files(into));
    }

    @Test
    void whatAPackageRequiresComesWithItAndAllMustFitTheDiskLimit() throws Exception {
        String url = http.url("alice/tools/fedora-40-x86_64/");
        Path into = tmp.resolve("allowed");
        try (SourceFetcher f = fetcher(true)) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            Map<String, String> got = new BuildRepos(f, null, null).fetch(List.of(url), WANT, into, new PrintStream(
                    log, true, StandardCharsets.UTF_8), 1L << 30);
            assertEquals(Map.of("brt-lib-0:1.5-1.fc40.noarch", url, "brt-core-0:2.0-1.fc40.noarch", url), got,
                    log.toString(StandardCharsets.UTF_8));
            assertEquals(List.of("brt-core-2.0-1.fc40.noarch.rpm", "brt-lib-1.5-1.fc40.noarch.rpm"), files(into));

            Path small = tmp.resolve("small");
            IOException e = assertThrows(IOException.class, () -> new BuildRepos(f, null, null).fetch(List.of(url), WANT, small,
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), 1000));
            assertTrue(e.getMessage().contains("disk limit") && e.getMessage().contains("brt-"), e.getMessage());
        }
    }

    @Test
    void theHubsOwnResultsAreReadFromItsStorage() throws Exception {
        // an address nobody can reach: the files must come from the storage root, not over HTTP
        String publicUrl = "http://copr-hub.invalid:1";
        String url = publicUrl + "/results/alice/tools/fedora-40-x86_64/";
        Path into = tmp.resolve("own");
        try (SourceFetcher f = fetcher(false)) {
            Map<String, String> got = new BuildRepos(f, publicUrl, results).fetch(List.of(url), WANT, into,
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), 1L << 30);
            assertEquals(2, got.size(), got.toString());
            // a path leaving the storage root is not read from disk (and the host does not resolve)
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            Map<String, String> none = new BuildRepos(f, publicUrl, results.resolve("alice")).fetch(List.of(publicUrl
                    + "/results/../alice/tools/fedora-40-x86_64/"), WANT, tmp.resolve("escape"),
                    new PrintStream(log, true, StandardCharsets.UTF_8), 1L << 30);
            assertEquals(Map.of(), none, log.toString(StandardCharsets.UTF_8));
        }
        assertEquals(List.of("brt-core-2.0-1.fc40.noarch.rpm", "brt-lib-1.5-1.fc40.noarch.rpm"), files(into));
    }
}

package org.fedorabuild.hub.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.fedorabuild.hub.builder.BuildBackend;
import org.fedorabuild.hub.builder.BuildExecution;
import org.fedorabuild.hub.builder.LocalTransport;
import org.fedorabuild.hub.testing.TinyPackages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoPublisherTest {
    @TempDir
    Path tmp;

    private List<Path> build(String name, String version, Path into) throws Exception {
        Path srpm = TinyPackages.srpm(tmp, name + "-" + version, TinyPackages.spec(name, version, 0, List.of(), List.of()));
        org.fedorabuild.hub.testing.TestSandbox.setUp();
        try (LocalTransport t = new LocalTransport(tmp.resolve("builder"))) {
            return new BuildExecution(t, BuildBackend.RPMBUILD).run(
                    new BuildExecution.Job(version.hashCode() & 0xffff, "fedora-40-x86_64", srpm, Duration.ofMinutes(2)),
                    into, OutputStream.nullOutputStream()).files();
        }
    }

    /** Package names with versions that a dnf client would read from primary.xml. */
    static List<String> listed(Path chroot) throws IOException {
        String repomd = Files.readString(chroot.resolve("repodata/repomd.xml"));
        Matcher m = Pattern.compile("<data type=\"primary\">.*?href=\"([^\"]+)\"", Pattern.DOTALL).matcher(repomd);
        assertTrue(m.find(), repomd);
        String primary;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(chroot.resolve(m.group(1))))) {
            primary = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> out = new ArrayList<>();
        Matcher p = Pattern.compile("<name>([^<]+)</name>\\s*<arch>([^<]+)</arch>\\s*<version epoch=\"\\d+\" ver=\"([^\"]+)\"").matcher(primary);
        while (p.find()) {
            out.add(p.group(1) + "-" + p.group(3) + "." + p.group(2));
        }
        out.sort(null);
        return out;
    }

    @Test
    void publishesAndUpdatesIncrementally() throws Exception {
        Path chroot = tmp.resolve("results/alice/proj/fedora-40-x86_64");
        build("tiny-a", "1.0", chroot.resolve("00000001-tiny-a"));
        try (RepoPublisher pub = new RepoPublisher(2, Duration.ofMinutes(2))) {
            pub.request(chroot).get();
            assertEquals(List.of("tiny-a-1.0.noarch", "tiny-a-1.0.src"), listed(chroot));
            build("tiny-b", "2.0", chroot.resolve("00000002-tiny-b"));
            pub.request(chroot).get();
            assertEquals(List.of("tiny-a-1.0.noarch", "tiny-a-1.0.src", "tiny-b-2.0.noarch", "tiny-b-2.0.src"), listed(chroot));
        }
    }

    @Test
    void concurrentRequestsAreCoalescedAndAllSeeTheLatestState() throws Exception {
        Path chroot = tmp.resolve("results/alice/proj/fedora-40-x86_64");
        build("tiny-c", "1.0", chroot.resolve("00000003-tiny-c"));
        try (RepoPublisher pub = new RepoPublisher(2, Duration.ofMinutes(2))) {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                all.add(pub.request(chroot));
            }
            CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get();
            assertEquals(List.of("tiny-c-1.0.noarch", "tiny-c-1.0.src"), listed(chroot));
            assertTrue(all.get(1) == all.get(9), "requests made while one run is in progress share the next run");
        }
    }
}

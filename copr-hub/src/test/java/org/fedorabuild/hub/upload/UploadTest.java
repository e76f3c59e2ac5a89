package org.fedorabuild.hub.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.upload.FastUpload;
import org.fedorabuild.hub.testing.BuildHub;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Uploads as the koji CLI sends them, over real HTTP, with the hub's refusals and the cleanup of old uploads. */
class UploadTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path tmp;
    static BuildHub hub;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() {
        hub = BuildHub.start(PG.dataSource(), tmp.resolve("data"), "UploadMaxSize = 65536\n", 0);
        alice = hub.user("alice", false);
        bob = hub.user("bob", false);
        hub.project("alice/up", "fedora-40-x86_64");
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static Path file(String name, int size) throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return Files.write(tmp.resolve(name), data);
    }

    private static Object raw(KojiClient k, String path, String name, long offset, byte[] body) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("filename", name);
        q.put("filepath", path);
        q.put("fileverify", "adler32");
        q.put("offset", String.valueOf(offset));
        q.put("overwrite", "1");
        return k.postRaw(q, body);
    }

    @Test
    void chunkedUploadIsVerifiedAndStoredPerUser() throws Exception {
        Path f = file("chunked.src.rpm", 50_000);
        try (KojiClient k = hub.login("alice", alice); KojiClient b = hub.login("bob", bob)) {
            FastUpload.Result r = FastUpload.upload(k, f, "cli-build/1.2.abcdefgh", "chunked.src.rpm", 4096);
            assertEquals(50_000, r.size());
            assertTrue(Files.isRegularFile(tmp.resolve("data/work/uploads/alice/cli-build/1.2.abcdefgh/chunked.src.rpm")));
            assertEquals(null, b.call("checkUpload", "cli-build/1.2.abcdefgh", "chunked.src.rpm"), "bob sees only his own uploads");
            KojiFault f1 = assertThrows(KojiFault.class, () -> b.call("build", r.serverPath(), "alice/up", Map.of()));
            assertTrue(f1.getMessage().contains("permission") || f1.getMessage().contains("no such upload"), f1.getMessage());
        }
    }

    /**
     * Issue 19: 40 checkUpload entries in one multicall must not hash the upload 40 times. The file's bytes are
     * changed behind the hub's back with size and modification time kept: every answer still carries the digest
     * of the finished upload, so it was computed once, not per call.
     */
    @Test
    void checkUploadHashesAFinishedUploadOnce() throws Exception {
        Path f = file("once.src.rpm", 40_000);
        try (KojiClient k = hub.login("alice", alice)) {
            FastUpload.upload(k, f, "cli-build/once", "once.src.rpm", 40_000);
            String first = (String) ((Map<?, ?>) k.call("checkUpload", "cli-build/once", "once.src.rpm", "adler32")).get("hexdigest");
            Path stored = tmp.resolve("data/work/uploads/alice/cli-build/once/once.src.rpm");
            var mtime = Files.getLastModifiedTime(stored);
            Files.write(stored, new byte[40_000]);
            Files.setLastModifiedTime(stored, mtime);
            List<org.fedorabuild.compat.wire.KojiCall> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(org.fedorabuild.compat.wire.KojiCall.of("checkUpload", "cli-build/once", "once.src.rpm", "adler32"));
            }
            var answers = k.multicall(calls, 40);
            assertEquals(40, answers.size());
            for (var answer : answers) {
                assertEquals(first, ((Map<?, ?>) answer.get()).get("hexdigest"));
            }
        }
    }

    @Test
    void badPathsOversizeFilesAndChecksumMismatchesAreRefused() throws Exception {
        try (KojiClient k = hub.login("alice", alice)) {
            KojiFault up = assertThrows(KojiFault.class, () -> raw(k, "../../etc", "x.src.rpm", 0, new byte[10]));
            assertTrue(up.getMessage().contains("'..' is not allowed"), up.getMessage());
            KojiFault abs = assertThrows(KojiFault.class, () -> raw(k, "/etc", "x.src.rpm", 0, new byte[10]));
            assertTrue(abs.getMessage().contains("must be relative"), abs.getMessage());
            KojiFault hidden = assertThrows(KojiFault.class, () -> raw(k, "cli-build/a", ".user", 0, new byte[10]));
            assertTrue(hidden.getMessage().contains("must not start with a dot"), hidden.getMessage());
            KojiFault tasks = assertThrows(KojiFault.class, () -> raw(k, "tasks/1/1", "x.rpm", 0, new byte[10]));
            assertTrue(tasks.getMessage().contains("reserved"), tasks.getMessage());
            Path big = file("big.src.rpm", 100_000);
            KojiFault size = assertThrows(KojiFault.class, () -> FastUpload.upload(k, big, "cli-build/big", "big.src.rpm", 32768));
            assertTrue(size.getMessage().contains("exceeds the limit of 65536 bytes"), size.getMessage());

            // the legacy upload (use_fast_upload = False) carries a whole-file checksum: a mismatch is refused
            byte[] data = "some bytes".getBytes();
            assertEquals(true, k.call("uploadFile", "cli-build/legacy", "l.src.rpm", (long) data.length, "", 0L,
                    Base64.getEncoder().encodeToString(data)));
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("other bytes".getBytes()));
            KojiFault sum = assertThrows(KojiFault.class, () -> k.callKw("uploadFile", List.of("cli-build/legacy", "l.src.rpm",
                    (long) data.length, "", -1L, ""), Map.of("checksum", List.of("sha256", sha))));
            assertTrue(sum.getMessage().contains("failed verification"), sum.getMessage());
            assertEquals(null, k.call("checkUpload", "cli-build/legacy", "l.src.rpm"), "a file that failed verification is removed");
        }
    }

    @Test
    void abandonedUploadsAreCleanedUp() throws Exception {
        Path f = file("old.src.rpm", 1000);
        try (KojiClient k = hub.login("alice", alice)) {
            FastUpload.upload(k, f, "cli-build/9.9.oldoldol", "old.src.rpm", 4096);
            FastUpload.upload(k, f, "cli-build/9.9.newnewne", "old.src.rpm", 4096);
        }
        Path old = tmp.resolve("data/work/uploads/alice/cli-build/9.9.oldoldol");
        FileTime past = FileTime.from(Instant.now().minus(Duration.ofHours(30)));
        Files.setLastModifiedTime(old.resolve("old.src.rpm"), past);
        Files.setLastModifiedTime(old.resolve(".user"), past);
        assertEquals(2, new UploadCleaner(tmp.resolve("data/work"), Duration.ofHours(24)).sweep());
        assertFalse(Files.exists(old), "the abandoned upload directory is gone");
        assertTrue(Files.exists(tmp.resolve("data/work/uploads/alice/cli-build/9.9.newnewne/old.src.rpm")), "recent uploads stay");
    }
}

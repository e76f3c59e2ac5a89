package org.fedorabuild.compat.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedorabuild.compat.client.ClientSettings;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.fault.FaultKind;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.compat.server.CallInterceptor;
import org.fedorabuild.compat.server.KojiDispatcher;
import org.fedorabuild.compat.server.KojiHubHandler;
import org.fedorabuild.compat.server.KojiMethod;
import org.fedorabuild.compat.server.MethodRegistry;
import org.fedorabuild.compat.server.Param;
import org.fedorabuild.compat.testing.TestHub;
import org.fedorabuild.compat.wire.KojiCodec;
import org.fedorabuild.compat.wire.WireLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The koji fast-upload protocol end to end: the client's chunking against the hub's store over real HTTP. */
class FastUploadTest {
    @TempDir
    Path tmp;
    UploadStore store;
    TestHub hub;
    final AtomicInteger chunks = new AtomicInteger();

    /** A hub whose users are named by their password, so each test can log in as anyone. */
    public class UploadHub {
        @KojiMethod
        public Object login(@Param("user") String user, @Param("password") String password,
                @Param(value = "opts", optional = true) Map<String, Object> opts) {
            return Map.of("session-id", (long) password.hashCode() & 0xffff, "session-key", password, "header-auth", true);
        }

        @KojiMethod
        public Object logout(@Param(value = "session_id", optional = true) Long id) {
            return null;
        }

        @KojiMethod
        public Object checkUpload(@Param("path") String path, @Param("name") String name,
                @Param(value = "verify", optional = true) String verify, @Param(value = "tail", optional = true) Long tail,
                @Param(value = "volume", optional = true) String volume) throws IOException {
            return store.check(path, name, verify, false);
        }
    }

    @BeforeEach
    void start() throws Exception {
        store = new UploadStore(tmp.resolve("work"), 5_000_000);
        KojiDispatcher dispatcher = new KojiDispatcher(new MethodRegistry().register(new UploadHub()), CallInterceptor.NONE);
        RawUploadReceiver receiver = (CallContext ctx, UploadRequest req, java.io.InputStream body) -> {
            chunks.incrementAndGet();
            String user = ctx.credentials().orElseThrow(() -> new KojiFault.ActionNotAllowed("login required")).sessionKey();
            return store.receive(user, req, body, false);
        };
        hub = new TestHub(new KojiHubHandler(TestHub.BASE_PATH, TestHub.KOJI_VERSION, new KojiCodec(WireLimits.REQUEST),
                dispatcher, receiver));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private KojiClient client(String user) {
        KojiClient c = new KojiClient(ClientSettings.defaults(hub.hubUri()));
        c.login(user, user);
        return c;
    }

    private Path file(int size) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        Path f = tmp.resolve("pkg-" + size + ".src.rpm");
        Files.write(f, data);
        return f;
    }

    @Test
    void multiChunkUploadArrivesIntactAndIsVerified() throws Exception {
        Path f = file(2_500_000);
        try (KojiClient c = client("alice")) {
            FastUpload.Result r = FastUpload.upload(c, f, "cli-build/1.abc", f.getFileName().toString(), 1_000_000);
            assertEquals(3, chunks.get(), "2.5 MB in 1 MB blocks is three requests");
            assertEquals(2_500_000, r.size());
            assertEquals(UploadDigest.of(f), r.hexdigest());
            assertEquals("cli-build/1.abc/" + f.getFileName(), r.serverPath());
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(store.root().resolve(r.serverPath())));
        }
    }

    @Test
    void emptyFileStillTakesOneRequest() throws Exception {
        Path f = file(0);
        try (KojiClient c = client("alice")) {
            FastUpload.Result r = FastUpload.upload(c, f, "cli-build/2.abc", "empty.src.rpm", 1024);
            assertEquals(1, chunks.get());
            assertEquals(0, r.size());
        }
    }

    @Test
    void retriedChunkWithOverwriteIsIdempotent() throws Exception {
        byte[] data = "0123456789".getBytes();
        UploadRequest first = new UploadRequest("f.bin", "d", "adler32", 0, true, null);
        store.receive("bob", first, new ByteArrayInputStream(data, 0, 6), false);
        UploadRequest second = new UploadRequest("f.bin", "d", "adler32", 6, true, null);
        store.receive("bob", second, new ByteArrayInputStream(data, 6, 4), false);
        store.receive("bob", second, new ByteArrayInputStream(data, 6, 4), false);
        assertArrayEquals(data, Files.readAllBytes(store.root().resolve("d/f.bin")));
        Map<String, Object> info = store.check("d", "f.bin", "adler32", false);
        assertEquals(10L, info.get("size"));
        assertEquals(UploadDigest.of(data, 0, 10), info.get("hexdigest"));
    }

    @Test
    void hostilePathsAndNamesAreRefusedWithFaults() throws Exception {
        try (KojiClient c = client("alice")) {
            for (List<String> bad : List.of(List.of("../../etc", "x"), List.of("/etc", "x"), List.of("a/../../b", "x"),
                    List.of("tasks/1/1", "x"), List.of("ok", "../x"), List.of("ok", ".hidden"), List.of("ok", "a/b"))) {
                Map<String, String> q = new LinkedHashMap<>();
                q.put("filename", bad.get(1));
                q.put("filepath", bad.get(0));
                q.put("fileverify", "adler32");
                q.put("offset", "0");
                q.put("overwrite", "1");
                KojiFault f = assertThrows(KojiFault.class, () -> c.postRaw(q, new byte[] {1, 2, 3}), bad.toString());
                assertTrue(f.isA(FaultKind.GENERIC_ERROR), f.toString());
            }
        }
        assertTrue(Files.notExists(tmp.resolve("etc")) && Files.notExists(Path.of("/etc/x")));
    }

    @Test
    void anotherUsersUploadDirectoryIsOffLimits() throws Exception {
        Path f = file(100);
        try (KojiClient alice = client("alice"); KojiClient mallory = client("mallory")) {
            FastUpload.upload(alice, f, "cli-build/3.abc", "a.src.rpm", 1024);
            KojiFault fault = assertThrows(KojiFault.class, () -> FastUpload.upload(mallory, f, "cli-build/3.abc", "a.src.rpm", 1024));
            assertEquals(FaultKind.ACTION_NOT_ALLOWED, fault.kind());
        }
    }

    @Test
    void oversizeUploadIsRefusedAndUndone() throws Exception {
        Path f = file(6_000_000);
        try (KojiClient c = client("alice")) {
            KojiFault fault = assertThrows(KojiFault.class, () -> FastUpload.upload(c, f, "cli-build/4.abc", "big.src.rpm", 4_000_000));
            assertTrue(fault.getMessage().contains("exceeds the limit of 5000000 bytes"), fault.getMessage());
            assertEquals(4_000_000, Files.size(store.root().resolve("cli-build/4.abc/big.src.rpm")),
                    "the refused chunk was truncated away, the accepted one kept");
        }
    }

    @Test
    void uploadWithoutSessionIsRefused() throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(hub.hubUri() + "?filename=x.src.rpm&filepath=cli-build/5&offset=0"))
                        .header("Content-Type", "application/octet-stream")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[] {1})).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("<name>faultCode</name>") && r.body().contains("login required"), r.body());
        assertNull(store.check("cli-build/5", "x.src.rpm", null, false));
    }

    @Test
    void mismatchedOffsetWithoutOverwriteIsRefused() throws Exception {
        store.receive("bob", new UploadRequest("g.bin", "d2", null, 0, false, null), new ByteArrayInputStream(new byte[5]), false);
        KojiFault f = assertThrows(KojiFault.class, () -> store.receive("bob",
                new UploadRequest("g.bin", "d2", null, 0, false, null), new ByteArrayInputStream(new byte[5]), false));
        assertTrue(f.getMessage().contains("upload path exists"), f.getMessage());
        KojiFault gap = assertThrows(KojiFault.class, () -> store.receive("bob",
                new UploadRequest("g.bin", "d2", null, 9, false, null), new ByteArrayInputStream(new byte[5]), false));
        assertTrue(gap.getMessage().contains("does not match the size"), gap.getMessage());
    }
}

package org.fedorabuild.hub.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetch rules against a real local HTTP server: address policy, redirects, size, time and file type. */
class SourceFetcherTest {
    @TempDir
    static Path tmp;
    static HttpServer server;
    static String base;
    static final byte[] SRPM = srpmBytes(1);
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    static byte[] srpmBytes(int type) {
        byte[] b = new byte[4096];
        b[0] = (byte) 0xed;
        b[1] = (byte) 0xab;
        b[2] = (byte) 0xee;
        b[3] = (byte) 0xdb;
        b[4] = 3;
        b[7] = (byte) type;
        return b;
    }

    @BeforeAll
    static void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String p = ex.getRequestURI().getPath();
            byte[] body = new byte[0];
            int status = 200;
            switch (p) {
                case "/pkgs/good-1.0-1.src.rpm" -> body = SRPM;
                case "/pkgs/binary-1.0-1.src.rpm" -> body = srpmBytes(0);
                case "/pkgs/html-1.0-1.src.rpm" -> body = "<html>not found</html>".getBytes();
                case "/pkgs/big-1.0-1.src.rpm" -> body = new byte[200_000];
                case "/redirect/good-1.0-1.src.rpm" -> {
                    status = 302;
                    ex.getResponseHeaders().add("Location", "/pkgs/good-1.0-1.src.rpm");
                }
                case "/loop/x-1.0-1.src.rpm" -> {
                    status = 302;
                    ex.getResponseHeaders().add("Location", "/loop/x-1.0-1.src.rpm");
                }
                case "/ftp/x-1.0-1.src.rpm" -> {
                    status = 301;
                    ex.getResponseHeaders().add("Location", "ftp://127.0.0.1/x-1.0-1.src.rpm");
                }
                case "/stall/slow-1.0-1.src.rpm" -> {
                    ex.sendResponseHeaders(200, 0);
                    try (OutputStream os = ex.getResponseBody()) {
                        os.write(SRPM, 0, 100);
                        os.flush();
                        RELEASE.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException | IOException e) {
                        // the client gave up, as it should
                    }
                    return;
                }
                default -> status = 404;
            }
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        RELEASE.countDown();
        server.stop(0);
    }

    static SourceFetcher fetcher(boolean allowPrivate, long max, Duration timeout) {
        return new SourceFetcher(new SourceUrlSettings(allowPrivate, max, timeout));
    }

    @Test
    void fetchesAnSrpmAndFollowsRedirectsUnderTheSameRules() throws Exception {
        try (SourceFetcher f = fetcher(true, 100_000, Duration.ofSeconds(20))) {
            Path got = f.fetch(base + "/pkgs/good-1.0-1.src.rpm", tmp.resolve("a"));
            assertArrayEquals(SRPM, Files.readAllBytes(got));
            assertEquals("good-1.0-1.src.rpm", got.getFileName().toString());
            assertArrayEquals(SRPM, Files.readAllBytes(f.fetch(base + "/redirect/good-1.0-1.src.rpm", tmp.resolve("b"))));
            String loop = assertThrows(SourceFetchException.class, () -> f.fetch(base + "/loop/x-1.0-1.src.rpm", tmp.resolve("c")))
                    .getMessage();
            assertTrue(loop.contains("more than 5 redirects"), loop);
            String ftp = assertThrows(SourceFetchException.class, () -> f.fetch(base + "/ftp/x-1.0-1.src.rpm", tmp.resolve("c")))
                    .getMessage();
            assertTrue(ftp.contains("only http:// and https://"), ftp);
            assertEquals(0, Files.list(tmp.resolve("c")).count(), "nothing left behind by failed fetches");
        }
    }

    @Test
    void refusesWrongFilesTooBigTooSlowAndMissing() throws Exception {
        try (SourceFetcher f = fetcher(true, 100_000, Duration.ofSeconds(2))) {
            contains(message(f, "/pkgs/binary-1.0-1.src.rpm"), "binary one");
            contains(message(f, "/pkgs/html-1.0-1.src.rpm"), "not an RPM");
            contains(message(f, "/pkgs/big-1.0-1.src.rpm"), "larger than the limit of 100000 bytes");
            contains(message(f, "/pkgs/missing-1.0-1.src.rpm"), "HTTP 404");
            contains(message(f, "/stall/slow-1.0-1.src.rpm"), "took longer than 2 s");
            contains(message(f, "/pkgs/readme.txt"), "expected a URL of an SRPM");
        }
        for (String bad : new String[] {"file:///etc/passwd.src.rpm", "gopher://x/a.src.rpm", "http://user:pw@example.org/a.src.rpm"}) {
            assertThrows(SourceFetchException.class, () -> SourceFetcher.check(bad), bad);
        }
    }

    @Test
    void privateAddressesAreRefusedUnlessAllowed() throws Exception {
        try (SourceFetcher f = fetcher(false, 100_000, Duration.ofSeconds(20))) {
            String why = message(f, "/pkgs/good-1.0-1.src.rpm");
            assertTrue(why.contains("127.0.0.1, a loopback address") && why.contains("SourceURLAllowPrivate"), why);
            String viaName = assertThrows(SourceFetchException.class, () -> f.fetch(base.replace("127.0.0.1", "localhost")
                    + "/pkgs/good-1.0-1.src.rpm", tmp.resolve("d"))).getMessage();
            assertTrue(viaName.contains("loopback"), viaName);
        }
        AddressPolicy strict = new AddressPolicy(false);
        for (String a : new String[] {"10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1",
                "::", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a00:1", "2002:a00:1::1", "224.0.0.1",
                "255.255.255.255"}) {
            assertTrue(strict.refusal(InetAddress.getByName(a)).isPresent(), a + " must be refused");
        }
        for (String a : new String[] {"8.8.8.8", "151.101.1.1", "2a00:1450:4001:800::200e", "172.32.0.1"}) {
            assertTrue(strict.refusal(InetAddress.getByName(a)).isEmpty(), a + " is public");
        }
        assertTrue(new AddressPolicy(true).refusal(InetAddress.getByName("127.0.0.1")).isEmpty());
    }

    private static void contains(String text, String part) {
        assertTrue(text.contains(part), "expected '" + part + "' in: " + text);
    }

    private static String message(SourceFetcher f, String path) {
        return assertThrows(SourceFetchException.class, () -> f.fetch(base + path, tmp.resolve("x"))).getMessage();
    }
}

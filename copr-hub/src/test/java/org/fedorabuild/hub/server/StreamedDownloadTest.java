package org.fedorabuild.hub.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.fedorabuild.compat.wire.KojiCodec;
import org.fedorabuild.compat.wire.WireLimits;
import org.fedorabuild.hub.testing.ServeProcess;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code copr-hub serve} in a JVM of 128 MB answers eight concurrent {@code downloadTaskOutput} calls of
 * 16 MiB each (22 MiB of base64 apiece: held whole, they would need several times that heap) with the file's
 * bytes, exactly as a one-pass encoding would write them, and keeps answering afterwards.
 */
class StreamedDownloadTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    private static final int MIB = 1 << 20;
    @TempDir
    Path tmp;

    @Test
    void concurrentLargeDownloadsAreStreamedFromASmallHeap() throws Exception {
        Path data = tmp.resolve("data");
        ServeProcess serve = ServeProcess.start(PG, tmp, "128m");
        Process p = serve.process;
        int port = serve.port;
        Path log = serve.log;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            assertTrue(Files.readString(log).contains("copr-hub ready"), Files.readString(log));
            var db = new org.fedorabuild.hub.db.Db(PG.dataSource());
            int task = db.tx(() -> new org.fedorabuild.hub.task.Tasks(db).create(1, "sleep", "noarch", 20,
                    org.fedorabuild.hub.task.TaskPayloads.encodeRequest("sleep", List.of(1), Map.of()), null, null, null));
            Path output = data.resolve("work/tasks/" + (task % 10000) + "/" + task + "/big.log");
            Files.createDirectories(output.getParent());
            byte[] content = new byte[20 * MIB];
            new java.util.Random(19).nextBytes(content);
            Files.write(output, content);

            // what the codec writes around a string answer, so the body can be checked byte by byte as it streams
            String marker = "MARKER";
            String whole = new String(new KojiCodec(WireLimits.REQUEST).encodeResponse(marker), StandardCharsets.UTF_8);
            byte[] head = whole.substring(0, whole.indexOf(marker)).getBytes(StandardCharsets.UTF_8);
            byte[] tail = whole.substring(whole.indexOf(marker) + marker.length()).getBytes(StandardCharsets.UTF_8);

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int offset = i * 512 * 1024 + i;
                calls.add(pool.submit(() -> {
                    String body = "<?xml version='1.0'?><methodCall><methodName>downloadTaskOutput</methodName><params>"
                            + "<param><value><int>" + task + "</int></value></param><param><value><string>big.log</string></value>"
                            + "</param><param><value><int>" + offset + "</int></value></param><param><value><int>" + 16 * MIB
                            + "</int></value></param></params></methodCall>";
                    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/kojihub"))
                            .timeout(Duration.ofSeconds(120)).header("Content-Type", "text/xml")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
                    assertEquals(200, r.statusCode());
                    long base64 = 4L * ((16L * MIB + 2) / 3);
                    assertEquals(head.length + base64 + tail.length, r.headers().firstValueAsLong("Content-Length").orElse(-1));
                    try (DataInputStream in = new DataInputStream(r.body())) {
                        byte[] got = new byte[head.length];
                        in.readFully(got);
                        assertArrayEquals(head, got, "the answer starts as a string answer");
                        InputStream text = Base64.getDecoder().wrap(new java.io.FilterInputStream(in) {
                            long left = base64;

                            @Override
                            public int read() throws java.io.IOException {
                                return left-- > 0 ? super.read() : -1;
                            }

                            @Override
                            public int read(byte[] b, int off, int len) throws java.io.IOException {
                                if (left <= 0) {
                                    return -1;
                                }
                                int n = super.read(b, off, (int) Math.min(len, left));
                                left -= Math.max(n, 0);
                                return n;
                            }
                        });
                        byte[] block = new byte[MIB];
                        for (int at = 0; at < 16 * MIB; at += MIB) {
                            new DataInputStream(text).readFully(block);
                            assertArrayEquals(Arrays.copyOfRange(content, offset + at, offset + at + MIB), block,
                                    "MiB " + at / MIB + " of the call at offset " + offset);
                        }
                        assertEquals(-1, text.read(), "exactly 16 MiB");
                        got = in.readAllBytes();
                        assertArrayEquals(tail, got, "the answer ends as a string answer");
                    }
                    return null;
                }));
            }
            for (Future<?> call : calls) {
                call.get(180, TimeUnit.SECONDS);
            }
            assertTrue(p.isAlive(), "the hub survived");
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            assertFalse(Files.readString(log).contains("OutOfMemoryError"), Files.readString(log));
        } finally {
            pool.shutdownNow();
            serve.close();
        }
    }
}

package org.fedorabuild.compat.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.testing.Python;
import org.fedorabuild.compat.testing.TestHub;
import org.fedorabuild.compat.wire.FileBase64;
import org.fedorabuild.compat.wire.KojiCodec;
import org.fedorabuild.compat.wire.WireLimits;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large answers are streamed: a {@link FileBase64} writes the very bytes its String would, measuring an answer
 * reads no file, and over HTTP a streamed answer arrives whole (Content-Length, Python's client) or, when the
 * file lets it down mid-way, as an aborted body, never as other bytes.
 */
class StreamedAnswerTest {
    private static final KojiCodec CODEC = new KojiCodec(WireLimits.REQUEST);
    @TempDir
    Path tmp;
    private Path file;
    private byte[] content;

    @BeforeEach
    void file() throws IOException {
        content = new byte[3 * 1024 * 1024 + 7];
        new Random(19).nextBytes(content);
        file = tmp.resolve("big.log");
        Files.write(file, content);
    }

    private String base64(long off, int len) {
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(content, (int) off, (int) off + len));
    }

    @Test
    void fileBase64IsWrittenAsItsStringInEveryMode() throws Exception {
        int block = 3 * 16 * 1024;
        for (int len : new int[] {0, 1, 2, 3, 4, block - 1, block, block + 1, 300_001, content.length - 5}) {
            Map<String, Object> around = new LinkedHashMap<>();
            around.put("n", len);
            around.put("text", "<&> \u017elu\u0165ou\u010dk\u00fd");
            Object expected = List.of(around, base64(5, len), List.of(base64(5, len)));
            Object streamed = List.of(around, new FileBase64(file, 5, len), List.of(new FileBase64(file, 5, len)));
            byte[] want = CODEC.encodeResponse(expected);
            assertArrayEquals(want, CODEC.encodeResponse(streamed), "in memory, length " + len);
            assertEquals(want.length, CODEC.measureResponse(streamed), "measured, length " + len);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CODEC.writeResponse(streamed, out);
            assertArrayEquals(want, out.toByteArray(), "streamed, length " + len);
            KojiCodec.Encoded small = CODEC.encodeResponse(streamed, want.length);
            assertArrayEquals(want, small.bytes(), "kept under its cap, length " + len);
            KojiCodec.Encoded large = CODEC.encodeResponse(streamed, want.length - 1);
            assertNull(large.bytes(), "only measured past its cap, length " + len);
            assertEquals(want.length, large.size());
        }
        // measuring reads no file: a missing one is only found when the bytes are wanted
        FileBase64 gone = new FileBase64(tmp.resolve("gone"), 0, 10);
        assertEquals(CODEC.encodeResponse("0123456789abcdef").length, CODEC.measureResponse(gone));
        assertThrows(IOException.class, () -> CODEC.writeResponse(gone, new ByteArrayOutputStream()));
    }

    public class FileService {
        @KojiMethod
        public Object chunk(@Param("offset") long offset, @Param("size") int size) {
            return new FileBase64(file, offset, size);
        }
    }

    private TestHub hub(long maxAnswerBytes) throws Exception {
        KojiDispatcher dispatcher = new KojiDispatcher(new MethodRegistry().register(new FileService()), CallInterceptor.NONE,
                100, maxAnswerBytes, CODEC::measureResponse);
        return new TestHub(new KojiHubHandler(TestHub.BASE_PATH, TestHub.KOJI_VERSION, CODEC, dispatcher, null));
    }

    private static String call(long offset, int size) {
        return "<?xml version='1.0'?><methodCall><methodName>chunk</methodName><params><param><value><int>" + offset
                + "</int></value></param><param><value><int>" + size + "</int></value></param></params></methodCall>";
    }

    private static HttpResponse<byte[]> post(TestHub hub, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(hub.hubUri()).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void streamedAnswersArriveWholeWithTheirLengthAndTooLargeOnesAreFaultsFirst() throws Exception {
        try (TestHub hub = hub(4L * 1024 * 1024)) {
            int len = 2 * 1024 * 1024 + 1;
            HttpResponse<byte[]> r = post(hub, call(3, len));
            assertEquals(200, r.statusCode());
            byte[] want = CODEC.encodeResponse(base64(3, len));
            assertEquals(String.valueOf(want.length), r.headers().firstValue("Content-Length").orElse("none"));
            assertArrayEquals(want, r.body());
            assertEquals(base64(3, len), CODEC.decodeResponse(new java.io.ByteArrayInputStream(r.body())));

            // 3 MiB in base64 is over 4 MiB: a fault naming the limit, as a 200 answer, before any other byte
            HttpResponse<byte[]> tooLarge = post(hub, call(0, content.length));
            assertEquals(200, tooLarge.statusCode());
            KojiFault fault = assertThrows(KojiFault.class,
                    () -> CODEC.decodeResponse(new java.io.ByteArrayInputStream(tooLarge.body())));
            assertTrue(fault.getMessage().contains("exceeds the limit of 4194304 bytes"), fault.getMessage());

            // announced longer than the file: the body is cut short, never padded or different
            assertThrows(IOException.class, () -> post(hub, call(content.length - 1_000_000, 2_000_000)));
            // a file that fails before any byte is out still gives a fault
            HttpResponse<byte[]> gone = post(hub, call(content.length + 10, 2_000_000));
            assertEquals(200, gone.statusCode());
            KojiFault unread = assertThrows(KojiFault.class, () -> CODEC.decodeResponse(new java.io.ByteArrayInputStream(gone.body())));
            assertTrue(unread.getMessage().contains("could not be written"), unread.getMessage());
            assertEquals(200, post(hub, call(0, 10)).statusCode(), "the hub answers after an aborted answer");
        }
    }

    @Test
    void pythonsClientReadsAStreamedAnswer() throws Exception {
        Python.assumeAvailable();
        try (TestHub hub = hub(Long.MAX_VALUE)) {
            int len = content.length - 11;
            Python.Result result = Python.run(60, "read_streamed.py", hub.hubUri().toString(), "11", String.valueOf(len));
            assertEquals(0, result.exitCode(), result::describe);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(Arrays.copyOfRange(content, 11, content.length)));
            assertTrue(result.stdout().contains("LEN " + len + "\n"), result::describe);
            assertTrue(result.stdout().contains("SHA256 " + sha + "\n"), result::describe);
        }
    }
}

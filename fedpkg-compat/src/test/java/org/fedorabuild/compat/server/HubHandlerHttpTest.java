package org.fedorabuild.compat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.testing.ConnectionTrap;
import org.fedorabuild.compat.testing.DeserializationCanary;
import org.fedorabuild.compat.testing.HostileBodies;
import org.fedorabuild.compat.testing.TestHub;
import org.fedorabuild.compat.wire.KojiCall;
import org.fedorabuild.compat.wire.KojiCodec;
import org.fedorabuild.compat.wire.WireLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link KojiHubHandler} over real HTTP: hostile bodies get XML faults with HTTP 200, protocol misuse HTTP errors. */
class HubHandlerHttpTest {
    public static class EchoService {
        @KojiMethod
        public Object echo(@VarArgs List<Object> args) {
            return args;
        }

        @KojiMethod
        public Object unencodable() {
            return new Object();
        }
    }

    /** Records what the hub handler was sent, then passes the request on. */
    static final class Recorder extends Handler.Wrapper {
        final List<String> transferEncodings = new CopyOnWriteArrayList<>();
        final List<Long> lengths = new CopyOnWriteArrayList<>();

        Recorder(Handler next) {
            super(next);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            transferEncodings.add(String.valueOf(request.getHeaders().get("Transfer-Encoding")));
            lengths.add(request.getLength());
            return super.handle(request, response, callback);
        }
    }

    private static TestHub hub;
    private static Recorder recorder;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final KojiCodec codec = new KojiCodec(WireLimits.RESPONSE);

    @BeforeAll
    static void startHub() throws Exception {
        KojiDispatcher dispatcher = new KojiDispatcher(new MethodRegistry().register(new EchoService()), CallInterceptor.NONE);
        recorder = new Recorder(TestHub.hubHandler(dispatcher));
        hub = new TestHub(recorder);
    }

    @AfterAll
    static void stopHub() throws Exception {
        hub.close();
    }

    @BeforeEach
    void reset() {
        recorder.transferEncodings.clear();
        recorder.lengths.clear();
        DeserializationCanary.reset();
    }

    private static HttpResponse<byte[]> post(HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(hub.hubUri()).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "text/xml").header("User-Agent", "koji/1").POST(body).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> post(String body) throws Exception {
        return post(HttpRequest.BodyPublishers.ofString(body));
    }

    /** The answer must be Koji's: HTTP 200, text/xml, Koji-Version, and an XML-RPC fault. */
    private KojiFault fault(HttpResponse<byte[]> response) {
        assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        assertEquals("text/xml", response.headers().firstValue("Content-Type").orElse(null));
        assertEquals(TestHub.KOJI_VERSION, response.headers().firstValue("Koji-Version").orElse(null));
        assertEquals(response.body().length, response.headers().firstValueAsLong("Content-Length").orElse(-1));
        return assertThrows(KojiFault.class, () -> codec.decodeResponse(new ByteArrayInputStream(response.body())));
    }

    @Test
    void ordinaryCallsAndFaultsAreHttp200() throws Exception {
        HttpResponse<byte[]> ok = post(new String(new KojiCodec(WireLimits.REQUEST).encodeCall(KojiCall.of("echo", 1L, "x")),
                StandardCharsets.UTF_8));
        assertEquals(200, ok.statusCode());
        assertEquals(TestHub.KOJI_VERSION, ok.headers().firstValue("Koji-Version").orElse(null));
        assertEquals(List.of(1L, "x"), codec.decodeResponse(new ByteArrayInputStream(ok.body())));

        KojiFault unknown = fault(post("<?xml version='1.0'?><methodCall><methodName>nosuch</methodName></methodCall>"));
        assertEquals(1000, unknown.code());
        assertEquals("Invalid method: nosuch", unknown.getMessage());
    }

    @Test
    void xxeIsAFaultAndFetchesNothing() throws Exception {
        try (ConnectionTrap trap = new ConnectionTrap()) {
            for (String body : List.of(HostileBodies.xxe(trap.url()), HostileBodies.externalDtd(trap.url()))) {
                KojiFault f = fault(post(body));
                assertInstanceOf(KojiFault.GenericError.class, f);
                assertEquals(1000, f.code());
                assertTrue(f.getMessage().contains("DOCTYPE"), f.getMessage());
                assertFalse(f.getMessage().contains("root:"), f.getMessage());
            }
            assertEquals(0, trap.connections(), "the hub made an outbound connection for an entity or DTD");
        }
    }

    @Test
    void billionLaughsIsAQuickFault() throws Exception {
        long start = System.nanoTime();
        KojiFault f = fault(post(HostileBodies.billionLaughs()));
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "took " + (System.nanoTime() - start) / 1e9 + " s");
        assertEquals(1000, f.code());
        assertTrue(f.getMessage().contains("DOCTYPE"), f.getMessage());
    }

    @Test
    void deepNestingIsAFault() throws Exception {
        KojiFault f = fault(post(HostileBodies.nestedArrays(10_000)));
        assertEquals(1000, f.code());
        assertTrue(f.getMessage().contains("nesting"), f.getMessage());
    }

    @Test
    void oversizedBodyWithContentLengthIsAFault() throws Exception {
        long limit = WireLimits.REQUEST.maxBytes();
        KojiFault f = fault(post(HostileBodies.oversized(limit + 1024)));
        assertEquals(1000, f.code());
        assertTrue(f.getMessage().contains("limit") && f.getMessage().contains(String.valueOf(limit)), f.getMessage());
        assertEquals(List.of(limit + 1024), recorder.lengths);
    }

    @Test
    void oversizedChunkedBodyIsAFault() throws Exception {
        long limit = WireLimits.REQUEST.maxBytes();
        byte[] body = HostileBodies.oversized(limit + 1024).getBytes(StandardCharsets.US_ASCII);
        KojiFault f = fault(post(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
        assertEquals(1000, f.code());
        assertTrue(f.getMessage().contains("limit") && f.getMessage().contains(String.valueOf(limit)), f.getMessage());
        assertEquals(List.of("chunked"), recorder.transferEncodings, "the body was sent without Content-Length");
        assertEquals(List.of(-1L), recorder.lengths);
    }

    @Test
    void serializableExtensionIsAFaultAndNotDeserialized() throws Exception {
        DeserializationCanary.selfTest();
        KojiFault f = fault(post(HostileBodies.serializableCall(DeserializationCanary.serializedBase64())));
        assertEquals(1000, f.code());
        assertFalse(DeserializationCanary.triggered());
    }

    @Test
    void unencodableResultIsAFaultNotHttp500() throws Exception {
        KojiFault f = fault(post("<?xml version='1.0'?><methodCall><methodName>unencodable</methodName></methodCall>"));
        assertEquals(1, f.code());
    }

    @Test
    void malformedSessionHeaderIsAnAuthErrorFault() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(hub.hubUri()).header("Content-Type", "text/xml")
                .header("Koji-Session-Id", "abc").header("Koji-Session-Key", "k")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "<?xml version='1.0'?><methodCall><methodName>echo</methodName></methodCall>")).build();
        KojiFault f = fault(HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray()));
        assertInstanceOf(KojiFault.AuthError.class, f);
        assertTrue(f.getMessage().contains("'abc'"), f.getMessage());
    }

    @Test
    void nonPostIs405WithAllowPost() throws Exception {
        for (String method : List.of("GET", "PUT", "DELETE")) {
            HttpRequest request = HttpRequest.newBuilder(hub.hubUri())
                    .method(method, HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(405, response.statusCode(), method);
            assertEquals("POST", response.headers().firstValue("Allow").orElse(null), method);
            assertEquals(TestHub.KOJI_VERSION, response.headers().firstValue("Koji-Version").orElse(null), method);
        }
    }

    @Test
    void emptyPostIs400() throws Exception {
        HttpResponse<byte[]> response = post(HttpRequest.BodyPublishers.noBody());
        assertEquals(400, response.statusCode());
        assertEquals(TestHub.KOJI_VERSION, response.headers().firstValue("Koji-Version").orElse(null));
        assertFalse(response.headers().firstValue("Content-Type").orElse("").startsWith("text/xml"),
                "koji-api.md §1.1: 400 text/plain");
    }

    @Test
    void otherPathsAreNotTheHubs() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(hub.uri("/kojihubx")).POST(HttpRequest.BodyPublishers.ofString("x"))
                .build();
        assertEquals(404, HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    @Test
    void sslLoginPathIsServedByTheHub() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(hub.uri("/kojihub/ssllogin")).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "<?xml version='1.0'?><methodCall><methodName>echo</methodName><params><param><value>"
                                + "<string>x</string></value></param></params></methodCall>")).build();
        HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals(List.of("x"), codec.decodeResponse(new ByteArrayInputStream(response.body())));
    }
}

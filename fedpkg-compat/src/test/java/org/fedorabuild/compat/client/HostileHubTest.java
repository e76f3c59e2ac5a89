package org.fedorabuild.compat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.testing.DeserializationCanary;
import org.fedorabuild.compat.testing.HostileBodies;
import org.fedorabuild.compat.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A hub answering hostile bodies: the client must neither deserialize nor expand anything. */
class HostileHubTest {
    private static final AtomicReference<String> ANSWER = new AtomicReference<>();
    private static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = new TestHub(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                byte[] body = ANSWER.get().getBytes(StandardCharsets.UTF_8);
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/xml");
                response.getHeaders().put("Koji-Version", TestHub.KOJI_VERSION);
                response.write(true, ByteBuffer.wrap(body), callback);
                return true;
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
    }

    @BeforeEach
    void reset() throws Exception {
        DeserializationCanary.selfTest();
    }

    private KojiClient client() {
        return new KojiClient(ClientSettings.defaults(hub.hubUri()).withRetries(0, Duration.ofMillis(10), false));
    }

    @Test
    void faultCauseIsNeverDeserialized() {
        ANSWER.set(HostileBodies.faultWithCause(1002, "bad", DeserializationCanary.serializedBase64()));
        KojiFault f = assertThrows(KojiFault.class, () -> client().call("getAPIVersion"));
        assertInstanceOf(KojiFault.AuthError.class, f);
        assertEquals(1002, f.code());
        assertEquals("bad", f.getMessage());
        assertNull(f.getCause());
        assertFalse(DeserializationCanary.triggered(), "the client deserialized faultCause (CVE-2019-17570)");
    }

    @Test
    void serializableResultIsRefused() {
        ANSWER.set(HostileBodies.serializableResponse(DeserializationCanary.serializedBase64()));
        KojiConnectionException e = assertThrows(KojiConnectionException.class, () -> client().call("getAPIVersion"));
        assertTrue(e.getMessage().contains("unreadable answer"), e.getMessage());
        assertFalse(DeserializationCanary.triggered());
    }

    @Test
    void doctypeInAnAnswerIsRefused() {
        ANSWER.set(HostileBodies.billionLaughs().replace("methodCall", "methodResponse"));
        KojiConnectionException e = assertThrows(KojiConnectionException.class, () -> client().call("getAPIVersion"));
        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
    }
}

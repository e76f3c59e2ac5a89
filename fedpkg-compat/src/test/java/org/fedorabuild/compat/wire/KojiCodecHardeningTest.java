package org.fedorabuild.compat.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.testing.ConnectionTrap;
import org.fedorabuild.compat.testing.DeserializationCanary;
import org.fedorabuild.compat.testing.HostileBodies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The codec's defences, without HTTP: DTDs, entity bombs, depth, size and Java deserialization. */
class KojiCodecHardeningTest {
    private final KojiCodec requests = new KojiCodec(WireLimits.REQUEST);
    private final KojiCodec responses = new KojiCodec(WireLimits.RESPONSE);
    private ConnectionTrap trap;

    @BeforeEach
    void setUp() {
        trap = new ConnectionTrap();
        DeserializationCanary.reset();
    }

    @AfterEach
    void tearDown() {
        trap.close();
    }

    private static InputStream body(String xml) {
        return new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8));
    }

    private WireFormatException refusedCall(String xml) {
        return assertThrows(WireFormatException.class, () -> requests.decodeCall(body(xml)));
    }

    @Test
    void externalEntitiesAreRefusedWithoutAnyFetch() throws Exception {
        WireFormatException e = refusedCall(HostileBodies.xxe(trap.url()));
        assertEquals(WireFormatException.Reason.DOCTYPE, e.reason());
        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
        assertFalse(e.getMessage().contains("root:"), "no /etc/passwd content in the error");

        WireFormatException dtd = refusedCall(HostileBodies.externalDtd(trap.url()));
        assertEquals(WireFormatException.Reason.DOCTYPE, dtd.reason());
        // the same bodies as responses (a hostile hub)
        assertThrows(WireFormatException.class, () -> responses.decodeResponse(body(HostileBodies.externalDtd(trap.url()))));

        assertEquals(0, trap.connections(), "the parser connected to the URL of an entity or DTD");
        new java.net.Socket("127.0.0.1", trap.port()).close();
        assertEquals(1, trap.connections(), "the trap itself counts connections");
    }

    @Test
    void billionLaughsIsRefusedQuickly() {
        WireFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> refusedCall(HostileBodies.billionLaughs()));
        assertEquals(WireFormatException.Reason.DOCTYPE, e.reason());
    }

    @Test
    void deepNestingIsRefusedWithoutStackOverflow() {
        WireFormatException e = refusedCall(HostileBodies.nestedArrays(10_000));
        assertEquals(WireFormatException.Reason.TOO_DEEP, e.reason());
        assertTrue(e.getMessage().contains("nesting"), e.getMessage());
        // nesting within the limit is fine
        assertEquals(1, assertDoesNotThrowCall(HostileBodies.nestedArrays(10)).args().size());
        WireFormatException r = assertThrows(WireFormatException.class,
                () -> responses.decodeResponse(body(HostileBodies.nestedResponse(10_000))));
        assertEquals(WireFormatException.Reason.TOO_DEEP, r.reason());
    }

    private KojiCall assertDoesNotThrowCall(String xml) {
        try {
            return requests.decodeCall(body(xml));
        } catch (WireFormatException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void oversizedBodyIsRefusedAfterReadingAtMostTheLimit() {
        long limit = WireLimits.REQUEST.maxBytes();
        WireFormatException e = refusedCall(HostileBodies.oversized(limit + 1));
        assertEquals(WireFormatException.Reason.TOO_LARGE, e.reason());
        assertTrue(e.getMessage().contains(String.valueOf(limit)), e.getMessage());

        // an endless body: the codec stops reading near the limit instead of buffering it all
        byte[] head = "<?xml version='1.0'?><methodCall><methodName>echo</methodName><params><param><value><string>"
                .getBytes(StandardCharsets.US_ASCII);
        long[] delivered = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                long i = delivered[0]++;
                return i < head.length ? head[(int) i] : 'A';
            }
        };
        WireFormatException e2 = assertThrows(WireFormatException.class, () -> requests.decodeCall(endless));
        assertEquals(WireFormatException.Reason.TOO_LARGE, e2.reason());
        assertTrue(delivered[0] <= limit + 65536, "read " + delivered[0] + " bytes for a limit of " + limit);
        // exactly at the limit is still accepted
        assertEquals("echo", assertDoesNotThrowCall(HostileBodies.oversized(limit)).method());
    }

    @Test
    void serializableExtensionIsRefusedAndNeverDeserialized() throws Exception {
        DeserializationCanary.selfTest();
        String payload = DeserializationCanary.serializedBase64();
        WireFormatException e = refusedCall(HostileBodies.serializableCall(payload));
        assertEquals(WireFormatException.Reason.MALFORMED, e.reason());
        assertTrue(e.getMessage().contains("serializable"), e.getMessage());
        assertThrows(WireFormatException.class,
                () -> responses.decodeResponse(body(HostileBodies.serializableResponse(payload))));
        assertFalse(DeserializationCanary.triggered(), "ex:serializable was deserialized");
    }

    @Test
    void faultCauseIsIgnoredNotDeserialized() throws Exception {
        DeserializationCanary.selfTest();
        String payload = DeserializationCanary.serializedBase64();
        KojiFault f = assertThrows(KojiFault.class,
                () -> responses.decodeResponse(body(HostileBodies.faultWithCause(1002, "bad", payload))));
        assertEquals(1002, f.code());
        assertEquals("bad", f.getMessage());
        assertTrue(f instanceof KojiFault.AuthError);
        assertEquals(null, f.getCause(), "no cause is attached");

        // faultCause as ex:serializable: refused as a whole, still not deserialized
        String exCause = HostileBodies.faultWithCause(1002, "bad", "")
                .replace("<methodResponse>", "<methodResponse xmlns:ex=\"" + HostileBodies.EX_NS + "\">")
                .replace("<base64></base64>", "<ex:serializable>" + payload + "</ex:serializable>");
        assertThrows(WireFormatException.class, () -> responses.decodeResponse(body(exCause)));
        assertFalse(DeserializationCanary.triggered(), "faultCause was deserialized");
    }

    @Test
    void emptyAndGarbageBodies() {
        assertEquals(WireFormatException.Reason.EMPTY, refusedCall("").reason());
        assertEquals(WireFormatException.Reason.MALFORMED, refusedCall("<methodCall><methodName>x").reason());
        assertEquals(WireFormatException.Reason.MALFORMED, refusedCall("not xml at all").reason());
        assertEquals(WireFormatException.Reason.MALFORMED,
                refusedCall("<?xml version='1.0'?><methodCall><params/></methodCall>").reason(), "no methodName");
        assertEquals(WireFormatException.Reason.MALFORMED, refusedCall(
                "<methodCall><methodName>x</methodName><params><param><value><i8>99999999999999999999</i8></value>"
                        + "</param></params></methodCall>").reason(), "beyond int64");
    }
}

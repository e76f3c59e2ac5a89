package org.fedorabuild.compat.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedorabuild.compat.fault.KojiFault;
import org.junit.jupiter.api.Test;

/** Koji's XML-RPC dialect (koji-api.md §1.2, §1.3) on both the reading and the writing side. */
class KojiCodecDialectTest {
    private final KojiCodec codec = new KojiCodec(WireLimits.REQUEST);

    private Object value(String valueXml) throws Exception {
        String body = "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n" + valueXml
                + "\n</param>\n</params>\n</methodResponse>\n";
        return codec.decodeResponse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(byte[] xml) {
        return new String(xml, StandardCharsets.UTF_8);
    }

    @Test
    void readsEveryIntegerTagAsLong() throws Exception {
        assertEquals(5L, value("<value><int>5</int></value>"));
        assertEquals(-5L, value("<value><i4>-5</i4></value>"));
        assertEquals(1L << 40, value("<value><i8>1099511627776</i8></value>"));
        assertEquals(Long.MAX_VALUE, value("<value><i8>9223372036854775807</i8></value>"));
        assertEquals(7L, value("<value><ex:i8 xmlns:ex='http://ws.apache.org/xmlrpc/namespaces/extensions'>7</ex:i8></value>"));
    }

    @Test
    void readsNilWithOrWithoutNamespaceAndUntypedStrings() throws Exception {
        assertEquals(null, value("<value><nil/></value>"));
        assertEquals(null, value("<value><ex:nil xmlns:ex='http://ws.apache.org/xmlrpc/namespaces/extensions'/></value>"));
        assertEquals(null, value("<value><ex:nil/></value>"), "Python ignores the prefix even undeclared");
        assertEquals("bare text", value("<value>bare text</value>"));
        assertEquals("", value("<value><string></string></value>"));
        assertEquals(2.5, value("<value><double>2.5</double></value>"));
        assertEquals(Boolean.TRUE, value("<value><boolean>1</boolean></value>"));
        assertEquals(Arrays.asList(null, 1L, "x"),
                value("<value><array><data>\n<value><nil/></value>\n<value><int>1</int></value>\n"
                        + "<value><string>x</string></value>\n</data></array></value>"));
    }

    @Test
    void writesNilI8AndIntLikePython() {
        String xml = text(codec.encodeResponse(Arrays.asList(null, 1L << 40, -(1L << 40), 5L, 7,
                (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE - 1, true)));
        assertTrue(xml.contains("<value><nil/></value>"), xml);
        assertTrue(xml.contains("<i8>1099511627776</i8>"), xml);
        assertTrue(xml.contains("<i8>-1099511627776</i8>"), xml);
        assertTrue(xml.contains("<int>5</int>"), xml);
        assertTrue(xml.contains("<int>7</int>"), xml);
        assertTrue(xml.contains("<int>2147483647</int>"), xml);
        assertTrue(xml.contains("<i8>-2147483649</i8>"), xml);
        assertTrue(xml.contains("<boolean>1</boolean>"), xml);
        assertFalse(xml.contains("ex:"), "no Apache extension namespace: " + xml);
    }

    @Test
    void writesDoublesWithoutExponent() throws Exception {
        String xml = text(codec.encodeResponse(List.of(1795624544.120684, 2.0, 1.0e-7, 1.0e20)));
        assertTrue(xml.contains("<double>1795624544.120684</double>"), xml);
        assertTrue(xml.contains("<double>2.0</double>"), xml);
        assertFalse(xml.contains("E"), xml);
        assertEquals(List.of(1795624544.120684, 2.0, 1.0e-7, 1.0e20),
                codec.decodeResponse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))));
        assertThrows(IllegalArgumentException.class, () -> codec.encodeResponse(Double.NaN));
    }

    @Test
    void writesInstantsAsKojiTimeStrings() {
        String xml = text(codec.encodeResponse(Instant.parse("2025-07-01T12:34:56.789012Z")));
        assertTrue(xml.contains("<string>2025-07-01 12:34:56.789012+00:00</string>"), xml);
        assertFalse(xml.contains("dateTime.iso8601"), xml);
    }

    @Test
    void refusesIntegersBeyondInt64AndUnknownObjects() {
        assertThrows(IllegalArgumentException.class, () -> codec.encodeResponse(BigInteger.ONE.shiftLeft(64)));
        assertThrows(IllegalArgumentException.class, () -> codec.encodeResponse(new Object()));
    }

    @Test
    void keywordArgumentsTravelAsTrailingStarStarStruct() throws Exception {
        Map<String, Object> kw = new LinkedHashMap<>();
        kw.put("priority", null);
        KojiCall call = new KojiCall("build", List.of("src", "target", Map.of()), kw);
        String xml = text(codec.encodeCall(call));
        assertTrue(xml.contains("<name>__starstar</name><value><boolean>1</boolean></value>"), xml);
        KojiCall back = codec.decodeCall(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertEquals(call, back);
        assertEquals(4, call.wireParams().size());

        String plain = text(codec.encodeCall(KojiCall.of("getTaskInfo", 1L)));
        assertFalse(plain.contains("__starstar"), "no kwargs, no struct: " + plain);
    }

    @Test
    void aTrailingStructWithoutStarStarIsPositional() {
        KojiCall c = KojiCall.fromWire("listTasks", List.of(Map.of("decode", true)));
        assertEquals(1, c.args().size());
        assertTrue(c.kwargs().isEmpty());
        KojiCall off = KojiCall.fromWire("x", List.of(Map.of("__starstar", false, "a", 1L)));
        assertEquals(1, off.args().size(), "a false __starstar is not a kwargs marker");
        KojiCall on = KojiCall.fromWire("x", List.of(1L, Map.of("__starstar", 1L, "a", 2L)));
        assertEquals(List.of(1L), on.args());
        assertEquals(Map.of("a", 2L), on.kwargs());
    }

    @Test
    void faultsRoundTripAsTypedExceptions() {
        for (int code : List.of(1, 1000, 1001, 1002, 1004, 1006, 1007, 1008, 1009, 1014, 1019, 1024, 4242)) {
            KojiFault f = assertThrows(KojiFault.class,
                    () -> codec.decodeResponse(new ByteArrayInputStream(codec.encodeFault(code, "msg " + code))));
            assertEquals(code, f.code());
            assertEquals("msg " + code, f.getMessage());
        }
        assertInstanceOf(KojiFault.AuthExpired.class, KojiFault.fromWire(1007, ""));
        assertInstanceOf(KojiFault.SequenceError.class, KojiFault.fromWire(1008, ""));
        assertInstanceOf(KojiFault.RetryError.class, KojiFault.fromWire(1009, ""));
        assertInstanceOf(KojiFault.ParameterError.class, KojiFault.fromWire(1019, ""));
        assertEquals(null, KojiFault.fromWire(4242, "").kind(), "codes Koji does not define stay raw");
        String xml = text(codec.encodeFault(1002, "a < b & c"));
        assertTrue(xml.contains("<name>faultCode</name><value><int>1002</int></value>")
                || xml.contains("<name>faultCode</name><value><i4>1002</i4></value>"), xml);
        assertTrue(xml.contains("a &lt; b &amp; c"), xml);
    }

    @Test
    void collectionsOtherThanListsAreArrays() throws Exception {
        Object back = codec.decodeResponse(new ByteArrayInputStream(codec.encodeResponse(Set.of("only"))));
        assertEquals(List.of("only"), back);
    }
}

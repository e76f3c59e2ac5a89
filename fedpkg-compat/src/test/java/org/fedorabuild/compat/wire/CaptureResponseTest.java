package org.fedorabuild.compat.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fedorabuild.compat.fault.FaultKind;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.testing.Captures;
import org.fedorabuild.compat.testing.Captures.Exchange;
import org.fedorabuild.compat.testing.Captures.IndexRow;
import org.fedorabuild.compat.testing.WireValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every response body the real hub sent, read with {@link KojiCodec#decodeResponse}. */
class CaptureResponseTest {
    private final KojiCodec codec = new KojiCodec(WireLimits.RESPONSE);

    static Stream<Exchange> responses() {
        return Captures.exchanges().stream();
    }

    @Test
    void allCapturesArePresent() {
        // 25 captures, 116 exchanges (115 XML requests: one raw upload): guards against testing an empty directory
        assertEquals(116, Captures.exchanges().size());
        assertEquals(115, Captures.xmlRequests().size());
        assertEquals(25, Captures.exchanges().stream().map(Exchange::capture).distinct().count());
        for (Exchange e : Captures.exchanges()) {
            assertNotNull(Captures.index().get(e.id()), "index.md does not describe " + e.id());
        }
    }

    private Object decode(Exchange e) throws Exception {
        try (InputStream in = e.openResponse()) {
            return codec.decodeResponse(in);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void decodesEveryResponse(Exchange e) throws Exception {
        IndexRow row = Captures.index().get(e.id());
        boolean expectFault = row != null && !"unknown".equals(row.fault())
                ? row.isFault() : Captures.metaBoolean(e, "fault").orElseThrow();
        if (expectFault) {
            KojiFault fault = assertThrows(KojiFault.class, () -> decode(e));
            if (row != null && row.isFault()) {
                // index.md: "yes: 1000 query returned no rows"
                assertEquals(row.fault(), "yes: " + fault.code() + " " + fault.getMessage());
            }
            assertEquals(fault.getClass(), KojiFault.fromWire(fault.code(), "").getClass());
        } else {
            WireValues.assertKojiTypes(e.id(), decode(e));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void reencodedResponseDecodesToTheSameValue(Exchange e) throws Exception {
        Object value;
        try {
            value = decode(e);
        } catch (KojiFault fault) {
            KojiFault again = assertThrows(KojiFault.class,
                    () -> codec.decodeResponse(new ByteArrayInputStream(codec.encodeFault(fault))));
            assertEquals(fault.code(), again.code());
            assertEquals(fault.getMessage(), again.getMessage());
            assertEquals(fault.getClass(), again.getClass());
            return;
        }
        byte[] encoded = codec.encodeResponse(value);
        assertEquals(value, codec.decodeResponse(new ByteArrayInputStream(encoded)));
    }

    @Test
    void getTaskInfoStrictIsGenericError() {
        KojiFault f = assertThrows(KojiFault.GenericError.class, () -> decode(Captures.get("fault-no-such-task", "002")));
        assertEquals(1000, f.code());
        assertEquals(FaultKind.GENERIC_ERROR, f.kind());
        assertEquals("query returned no rows", f.getMessage());
        assertEquals("GenericError: query returned no rows", f.toString());
    }

    @Test
    void freeTaskWithoutAdminIsActionNotAllowed() {
        KojiFault f = assertThrows(KojiFault.ActionNotAllowed.class, () -> decode(Captures.get("fault-permission", "003")));
        assertEquals(1004, f.code());
        assertEquals("admin permission required (logged in as kojiuser)", f.getMessage());
        assertTrue(f.isA(FaultKind.GENERIC_ERROR));
    }

    @Test
    void badPasswordIsAuthError() {
        KojiFault f = assertThrows(KojiFault.AuthError.class, () -> decode(Captures.get("login-password-bad", "001")));
        assertEquals(1002, f.code());
        assertEquals("invalid username or password", f.getMessage());
    }

    @Test
    void multicallWithFaultIsAListWithAFaultStruct() throws Exception {
        List<?> entries = assertInstanceOf(List.class, decode(Captures.get("multicall-with-fault", "003")));
        assertEquals(2, entries.size());
        List<?> first = assertInstanceOf(List.class, entries.get(0));
        assertEquals(1, first.size());
        assertNull(first.get(0), "cancelTask returns None: [None]");
        Map<?, ?> fault = assertInstanceOf(Map.class, entries.get(1));
        assertEquals(1000L, fault.get("faultCode"));
        assertEquals("No such task: 999", fault.get("faultString"));
        List<?> traceback = assertInstanceOf(List.class, fault.get("traceback"));
        assertTrue(traceback.size() > 3);
        assertTrue(traceback.stream().allMatch(String.class::isInstance));
    }

    @Test
    void loginAnswerCarriesHeaderAuth() throws Exception {
        Map<?, ?> sinfo = assertInstanceOf(Map.class, decode(Captures.get("fedpkg-build", "001")));
        assertEquals(Map.of("session-id", 3L, "session-key", "1-VZG4Ho2viFpBawPpaqQ", "header-auth", true), sinfo);
    }

    @Test
    void hostStructTypes() throws Exception {
        Map<?, ?> host = assertInstanceOf(Map.class, decode(Captures.get("hostinfo", "002")));
        assertEquals("x86_64 i686", host.get("arches"));
        assertEquals(2.0, host.get("capacity"));
        assertEquals(1.0, host.get("task_load"));
        assertEquals(1795526772.54572, host.get("update_ts"));
        assertEquals(1L, host.get("id"));
        assertEquals(Boolean.FALSE, host.get("ready"));
        assertTrue(host.containsKey("comment"));
        assertNull(host.get("comment"), "<nil/> comes back as null");
    }

    @Test
    void timesAreKojiStringsMatchingTheirEpochs() throws Exception {
        Map<?, ?> build = assertInstanceOf(Map.class, decode(Captures.get("fedpkg-nvr-exists", "004")));
        assertEquals("2026-11-25 16:35:44.120684+00:00", build.get("completion_time"));
        assertEquals(1795624544.120684, build.get("completion_ts"));
        assertNull(build.get("promotion_time"));
        for (String field : List.of("completion", "creation", "start")) {
            Instant fromString = KojiTime.parse((String) build.get(field + "_time"));
            Instant fromEpoch = KojiTime.fromEpoch((Double) build.get(field + "_ts"));
            assertTrue(Duration.between(fromString, fromEpoch).abs().toNanos() <= 1000,
                    field + ": " + fromString + " vs " + fromEpoch);
        }
    }

    @Test
    void taskListValues() throws Exception {
        List<?> tasks = assertInstanceOf(List.class, decode(Captures.get("list-tasks", "002")));
        assertEquals(2, tasks.size());
        Map<?, ?> task = assertInstanceOf(Map.class, tasks.get(0));
        assertEquals(1L, task.get("id"));
        assertEquals(1L, task.get("state"));
        assertEquals("kojiadmin", task.get("owner_name"));
        assertEquals("2026-11-24 13:26:11.731754+00:00", task.get("create_time"));
        assertInstanceOf(Double.class, task.get("weight"));
        // decode=True: the request is a decoded array, not the stored XML
        assertInstanceOf(List.class, task.get("request"));
    }

    @Test
    void openTaskReturnsTheRawRequestXmlAsAString() throws Exception {
        Map<?, ?> task = assertInstanceOf(Map.class, decode(Captures.get("builder-session", "008")));
        String request = assertInstanceOf(String.class, task.get("request"));
        assertTrue(request.startsWith("<?xml"), request);
        assertTrue(request.contains("<methodName>sleep</methodName>"), request);
    }

    @Test
    void nilAnswerIsNull() throws Exception {
        assertNull(decode(Captures.get("taskinfo-missing", "002")));
        assertNull(decode(Captures.get("fedpkg-build", "006")));
        assertEquals(1L, decode(Captures.get("hello", "001")));
    }
}

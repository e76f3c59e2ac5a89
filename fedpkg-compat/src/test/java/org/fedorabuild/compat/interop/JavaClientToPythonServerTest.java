package org.fedorabuild.compat.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fedorabuild.compat.client.ClientSettings;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.client.MulticallResult;
import org.fedorabuild.compat.fault.FaultKind;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.testing.Python;
import org.fedorabuild.compat.wire.KojiCall;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link KojiClient} against Python's SimpleXMLRPCServer (src/test/resources/python/echo_server.py). */
class JavaClientToPythonServerTest {
    private static Process server;
    private static CompletableFuture<String> stderr;
    private static KojiClient client;

    @BeforeAll
    static void startPythonServer() throws Exception {
        Python.assumeAvailable();
        server = Python.start("echo_server.py");
        stderr = Python.drain(server.getErrorStream());
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String port = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (Exception e) {
                return null;
            }
        }).get(15, TimeUnit.SECONDS);
        assertNotNull(port, () -> "the Python server printed no port: " + stderr.getNow(""));
        client = new KojiClient(ClientSettings.defaults(URI.create("http://127.0.0.1:" + port.trim() + "/RPC2"))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10)));
    }

    @AfterAll
    static void stopPythonServer() throws Exception {
        if (server != null) {
            server.getOutputStream().close();
            if (!server.waitFor(5, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void echoRoundTripsKojiValuesAndKeywords() {
        List<Object> args = Arrays.asList(null, 1L << 40, -(1L << 40), 7L, 2.5, true, "k\u016f\u0148 <&>",
                map("nested", Arrays.asList(1L, map("x", null, "deep", List.of(List.of(Long.MAX_VALUE)))), "empty", map()),
                List.of());
        Map<String, Object> kwargs = map("priority", null, "big", 1L << 40, "opts", map("scratch", true));
        Object answer = client.callKw("echo", args, kwargs);
        assertEquals(map("args", args, "kwargs", kwargs), answer);
        List<?> back = (List<?>) ((Map<?, ?>) answer).get("args");
        assertInstanceOf(Long.class, back.get(3), "a Python int comes back as Long even within int32");
        assertInstanceOf(Long.class, back.get(1));
    }

    @Test
    void javaValuesArriveAsThePythonTypesKojiExpects() {
        Object types = client.call("types", null, 1L << 40, 5L, 5, 2.5, true, "s", map("a", 1L), List.of(1L),
                Date.from(Instant.parse("2025-07-01T12:34:56Z")), Instant.parse("2025-07-01T12:34:56Z"));
        assertEquals(List.of("NoneType", "int", "int", "int", "float", "bool", "str", "dict", "list", "DateTime", "str"),
                types);
    }

    @Test
    void datesTravelAsIso8601InUtc() {
        Date when = Date.from(Instant.parse("2025-07-01T12:34:56Z"));
        Map<?, ?> answer = (Map<?, ?>) client.call("echo", when);
        assertEquals(List.of(when), answer.get("args"));
    }

    @Test
    void pythonFaultBecomesTypedKojiFault() {
        KojiFault f = assertThrows(KojiFault.AuthError.class, () -> client.call("bad"));
        assertEquals(1002, f.code());
        assertEquals("bad", f.getMessage());
        KojiFault unknown = assertThrows(KojiFault.class, () -> client.call("nosuch"));
        assertEquals(1, unknown.code(), "Python's server answers unknown methods with fault 1");
        assertEquals(FaultKind.SERVER_ERROR, unknown.kind());
    }

    @Test
    void multicallAgainstPythonsImplementation() {
        Map<String, Object> kw = new HashMap<>();
        kw.put("x", null);
        List<MulticallResult> results = client.multicall(List.of(KojiCall.of("echo", 1L), KojiCall.of("bad"),
                new KojiCall("echo", List.of(), kw), KojiCall.of("echo", 1L << 40)), 3);
        assertEquals(4, results.size());
        assertEquals(map("args", List.of(1L), "kwargs", map()), results.get(0).get());
        assertEquals(1002, results.get(1).fault().code());
        assertInstanceOf(KojiFault.AuthError.class, results.get(1).fault());
        assertEquals(map("args", List.of(), "kwargs", kw), results.get(2).get());
        assertEquals(map("args", List.of(1L << 40), "kwargs", map()), results.get(3).get());
        assertTrue(results.get(0).ok());
    }
}

package org.fedorabuild.compat.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.server.CallInterceptor;
import org.fedorabuild.compat.server.KojiDispatcher;
import org.fedorabuild.compat.server.KojiMethod;
import org.fedorabuild.compat.server.KwArgs;
import org.fedorabuild.compat.server.MethodRegistry;
import org.fedorabuild.compat.server.Param;
import org.fedorabuild.compat.server.VarArgs;
import org.fedorabuild.compat.testing.Python;
import org.fedorabuild.compat.testing.TestHub;
import org.junit.jupiter.api.Test;

/**
 * Python's stdlib xmlrpc client, marshalling like Koji's library, against the Java hub over HTTP. The script
 * (src/test/resources/python/call_java_hub.py) checks the answers; this side checks what Java received.
 */
class PythonClientToJavaHubTest {
    private static final List<String> CHECKS = List.of("echo-args", "echo-datetime", "echo-nested", "echo-text",
            "echo-kwargs", "i8-from-java", "struct-from-java", "koji-time-string", "koji-time-parses",
            "fault-action-not-allowed", "fault-invalid-method", "fault-parameter-error", "system-multicall-value",
            "system-multicall-fault", "system-multicall-kwargs", "koji-multicall-shapes", "overflow-beyond-int64",
            "koji-version-header");

    public static class InteropHub {
        final List<List<Object>> echoedArgs = new CopyOnWriteArrayList<>();
        final List<Map<String, Object>> echoedKwargs = new CopyOnWriteArrayList<>();

        @KojiMethod
        public Object echo(@VarArgs List<Object> args, @KwArgs Map<String, Object> kw) {
            echoedArgs.add(args);
            echoedKwargs.add(kw);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("args", args);
            answer.put("kwargs", kw);
            return answer;
        }

        @KojiMethod
        public Object big() {
            return Arrays.asList(1L << 40, -(1L << 40), Long.MAX_VALUE, null, 2.5,
                    Map.of("nested", List.of(Map.of("x", 1L)), "empty", Map.of(), "flag", false));
        }

        @KojiMethod
        public Object now() {
            return Instant.now();
        }

        @KojiMethod
        public Object fail() {
            throw new KojiFault.ActionNotAllowed("admin permission required (logged in as kojiuser)");
        }

        @KojiMethod
        public Object listTaskOutput(@Param("taskID") long taskID, @Param(value = "stat", optional = true) Boolean stat) {
            return List.of();
        }
    }

    @Test
    void pythonClientTalksToTheJavaHub() throws Exception {
        Python.assumeAvailable();
        InteropHub service = new InteropHub();
        KojiDispatcher dispatcher = new KojiDispatcher(new MethodRegistry().register(service), CallInterceptor.NONE);
        Python.Result result;
        try (TestHub hub = TestHub.start(dispatcher)) {
            result = Python.run(30, "call_java_hub.py", hub.hubUri().toString());
        }
        assertEquals(0, result.exitCode(), result::describe);
        for (String check : CHECKS) {
            assertTrue(result.stdout().lines().anyMatch(("PASS " + check)::equals), "missing check " + check + "\n"
                    + result.describe());
        }
        assertTrue(result.stdout().contains("DONE"), result::describe);

        // what Java made of Python's first echo call
        List<Object> args = service.echoedArgs.get(0);
        assertNull(args.get(0));
        assertEquals(1L << 40, args.get(1));
        assertEquals(-(1L << 40), args.get(2));
        Date when = assertInstanceOf(Date.class, args.get(3), "dateTime.iso8601 arrives as a Date");
        assertEquals(Instant.parse("2025-07-01T12:34:56Z"), when.toInstant(), "read as UTC");
        Map<?, ?> nested = assertInstanceOf(Map.class, args.get(4));
        assertEquals(Arrays.asList(1L, List.of(2L, 3L), singletonNull("x")), ((Map<?, ?>) nested.get("nested")).get("list"));
        assertEquals(1.5, nested.get("f"));
        assertEquals(true, nested.get("b"));
        assertEquals("\u017elu\u0165ou\u010dk\u00fd k\u016f\u0148 <&> \"'", args.get(5));
        Map<String, Object> kwargs = new HashMap<>();
        kwargs.put("opt", null);
        kwargs.put("big", 1L << 40);
        kwargs.put("name", "n");
        assertEquals(kwargs, service.echoedKwargs.get(0));
    }

    private static Map<String, Object> singletonNull(String key) {
        Map<String, Object> m = new HashMap<>();
        m.put(key, null);
        return m;
    }
}

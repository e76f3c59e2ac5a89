package org.fedorabuild.compat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.FaultKind;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.multicall.MulticallEntry;
import org.fedorabuild.compat.wire.KojiCall;
import org.junit.jupiter.api.Test;

/** Python's call rules and Koji's fault conventions, as the dispatcher applies them. */
class ArgumentBindingTest {
    private static final String SECRET = "password=hunter2";

    /** Signatures of an older hub (listTaskOutput before all_volumes) plus a few failing calls. */
    public static class OldHub {
        @KojiMethod
        public Object listTaskOutput(@Param("taskID") long taskID, @Param(value = "stat", optional = true) Boolean stat) {
            return List.of("build.log");
        }

        @KojiMethod
        public Object getTaskInfo(@Param("task_id") Object taskId, @Param(value = "request", optional = true) Boolean request,
                @Param(value = "strict", optional = true) Boolean strict) {
            return Map.of("id", taskId);
        }

        @KojiMethod
        public Object freeTask(@Param("task_id") long taskId) {
            return null;
        }

        @KojiMethod
        public Object login(@Param("user") String user, @Param("password") String password,
                @Param(value = "opts", optional = true) Map<String, Object> opts) {
            return null;
        }

        @KojiMethod
        public Object getAPIVersion() {
            return 1;
        }

        @KojiMethod
        public Object echo(@VarArgs List<Object> args, @KwArgs Map<String, Object> kw) {
            return kw.isEmpty() ? args : List.of(args, kw);
        }

        @KojiMethod
        public Object cancelTask(@Param("task_id") long taskId) {
            if (taskId == 999) {
                throw new KojiFault.GenericError("No such task: " + taskId);
            }
            return null;
        }

        @KojiMethod
        public Object boom() {
            throw new IllegalStateException("connection to jdbc:postgresql://db/koji failed, " + SECRET);
        }
    }

    private final List<String> stages = new ArrayList<>();
    private final KojiDispatcher dispatcher = new KojiDispatcher(new MethodRegistry().register(new OldHub()),
            (context, call, stage, next) -> {
                stages.add(stage + " " + call.method());
                try {
                    return next.proceed();
                } catch (Exception | Error e) {
                    stages.add("rollback " + call.method());
                    throw e;
                }
            });
    private final CallContext context = new CallContext(null, "127.0.0.1", null, false);

    private Object dispatch(KojiCall call) {
        return dispatcher.dispatch(context, call);
    }

    private KojiFault fault(KojiCall call) {
        return assertThrows(KojiFault.class, () -> dispatch(call));
    }

    private static KojiCall kw(String method, List<Object> args, Map<String, Object> kwargs) {
        return new KojiCall(method, args, kwargs);
    }

    private static void assertParameterError(String message, KojiFault f) {
        assertInstanceOf(KojiFault.ParameterError.class, f);
        assertEquals(1019, f.code());
        assertEquals(message, f.getMessage());
    }

    @Test
    void unexpectedKeywordIsParameterErrorWithPythonsWording() {
        KojiFault f = fault(kw("listTaskOutput", List.of(1L), Map.of("all_volumes", true)));
        assertParameterError("listTaskOutput() got an unexpected keyword argument 'all_volumes'", f);
        // the CLI's fallback matches this phrase
        assertTrue(f.getMessage().contains("got an unexpected keyword argument 'all_volumes'"));
    }

    @Test
    void missingRequiredArguments() {
        assertParameterError("getTaskInfo() missing 1 required positional argument: 'task_id'",
                fault(kw("getTaskInfo", List.of(), Map.of("strict", true))));
        assertParameterError("login() missing 2 required positional arguments: 'user' and 'password'",
                fault(KojiCall.of("login")));
    }

    @Test
    void tooManyPositionals() {
        assertParameterError("freeTask() takes 1 positional argument but 2 were given", fault(KojiCall.of("freeTask", 1L, 2L)));
        assertParameterError("getTaskInfo() takes from 1 to 3 positional arguments but 4 were given",
                fault(KojiCall.of("getTaskInfo", 1L, true, false, 4L)));
        assertParameterError("getAPIVersion() takes 0 positional arguments but 1 was given",
                fault(KojiCall.of("getAPIVersion", "x")));
    }

    @Test
    void multipleValuesForOneArgument() {
        assertParameterError("getTaskInfo() got multiple values for argument 'task_id'",
                fault(kw("getTaskInfo", List.of(1L), Map.of("task_id", 2L))));
    }

    @Test
    void wrongTypesAreParameterErrors() {
        KojiFault f = fault(KojiCall.of("freeTask", "abc"));
        assertEquals(1019, f.code());
        assertTrue(f.getMessage().contains("'task_id'") && f.getMessage().contains("str"), f.getMessage());
        assertEquals(1019, fault(KojiCall.of("freeTask", (Object) null)).code(), "None for a required int");
    }

    @Test
    void keywordsAndStarArgsAreCollected() {
        assertEquals(List.of(List.of(1L, "two"), Map.of("x", 3L)),
                dispatch(kw("echo", List.of(1L, "two"), Map.of("x", 3L))));
        assertEquals(Map.of("id", 7L), dispatch(kw("getTaskInfo", List.of(), Map.of("task_id", 7L))));
    }

    @Test
    void unknownMethodIsGenericErrorInvalidMethod() {
        KojiFault f = fault(KojiCall.of("nosuch"));
        assertInstanceOf(KojiFault.GenericError.class, f);
        assertEquals(1000, f.code());
        assertEquals("Invalid method: nosuch", f.getMessage());
    }

    @Test
    void failedMulticallEntriesBecomeFaultStructsWhileTheOthersSucceed() {
        List<Object> entries = new ArrayList<>();
        entries.add(MulticallEntry.encode(KojiCall.of("cancelTask", 2L)));
        entries.add(MulticallEntry.encode(KojiCall.of("cancelTask", 999L)));
        entries.add(MulticallEntry.encode(KojiCall.of("echo", "OK")));
        entries.add(MulticallEntry.encode(kw("listTaskOutput", List.of(1L), Map.of("all_volumes", true))));
        entries.add(MulticallEntry.encode(KojiCall.of("nosuch")));
        entries.add(MulticallEntry.encode(KojiCall.of("boom")));
        entries.add(MulticallEntry.encode(KojiCall.of("getAPIVersion")));
        List<?> results = assertInstanceOf(List.class, dispatch(KojiCall.of("multiCall", entries)));

        assertEquals(7, results.size());
        assertEquals(Arrays.asList((Object) null), results.get(0), "success is [value], None included");
        assertFault(1000, "No such task: 999", results.get(1));
        assertEquals(List.of(List.of("OK")), results.get(2));
        assertFault(1019, "listTaskOutput() got an unexpected keyword argument 'all_volumes'", results.get(3));
        assertFault(1000, "Invalid method: nosuch", results.get(4));
        Map<?, ?> boom = assertInstanceOf(Map.class, results.get(5));
        assertEquals(1, ((Number) boom.get("faultCode")).intValue());
        assertEquals(List.of(1), results.get(6));

        // one interception for the request, one per entry; only the failed entries roll back
        assertEquals("REQUEST multiCall", stages.get(0));
        assertEquals(List.of("ENTRY cancelTask", "ENTRY cancelTask", "rollback cancelTask", "ENTRY echo",
                "ENTRY listTaskOutput", "rollback listTaskOutput", "ENTRY nosuch", "rollback nosuch", "ENTRY boom",
                "rollback boom", "ENTRY getAPIVersion"), stages.subList(1, stages.size()));
    }

    private static void assertFault(int code, String message, Object entry) {
        Map<?, ?> f = assertInstanceOf(Map.class, entry, "fault struct expected, got " + entry);
        assertEquals(code, ((Number) f.get("faultCode")).intValue());
        assertEquals(message, f.get("faultString"));
    }

    @Test
    void systemMulticallIsTheSameHandler() {
        List<Object> entries = List.of(MulticallEntry.encode(KojiCall.of("echo", 1L)),
                MulticallEntry.encode(KojiCall.of("getAPIVersion")));
        assertEquals(List.of(List.of(List.of(1L)), List.of(1)), dispatch(KojiCall.of("system.multicall", entries)));
    }

    @Test
    void malformedAndNestedMulticallEntriesFailAlone() {
        List<Object> entries = new ArrayList<>();
        entries.add("not a struct");
        entries.add(MulticallEntry.encode(KojiCall.of("multiCall", List.of())));
        entries.add(Map.of("methodName", "echo", "params", List.of(5L)));
        List<?> results = assertInstanceOf(List.class, dispatch(KojiCall.of("multiCall", entries)));
        assertEquals(3, results.size());
        assertInstanceOf(Map.class, results.get(0));
        assertInstanceOf(Map.class, results.get(1));
        assertEquals(List.of(List.of(5L)), results.get(2));
    }

    @Test
    void unexpectedExceptionIsFaultOneWithoutJavaDetails() {
        KojiFault f = fault(KojiCall.of("boom"));
        assertEquals(1, f.code());
        assertEquals(FaultKind.SERVER_ERROR, f.kind());
        String text = f.getMessage();
        assertTrue(text.startsWith("<class '"), "Koji words non-koji exceptions as \"<class 'X'>: msg\": " + text);
        for (String leak : List.of("\tat ", "java.", "org.fedorabuild", "IllegalStateException", "jdbc:", SECRET,
                "Exception")) {
            assertFalse(text.contains(leak), "fault string leaks '" + leak + "': " + text);
        }
        assertTrue(stages.contains("rollback boom"));
    }
}

package org.fedorabuild.compat.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.fedorabuild.compat.multicall.MulticallEntry;
import org.fedorabuild.compat.testing.Captures;
import org.fedorabuild.compat.testing.Captures.Exchange;
import org.fedorabuild.compat.testing.Captures.IndexRow;
import org.fedorabuild.compat.testing.WireValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every request body the real koji CLI, fedpkg and the fake builder sent, read with {@link KojiCodec#decodeCall}. */
class CaptureRequestTest {
    private static final String HELLO_GIT =
            "git+http://127.0.0.1:18710/git/rpms/hello.git?#d0cec64af7f599aab9b1c8070ff0160a03579c5c";
    private static final String DEP1_GIT =
            "git+http://127.0.0.1:18710/git/rpms/dep1.git?#de559973b69268f57d9636ac604fe5b651b04a64";

    private final KojiCodec codec = new KojiCodec(WireLimits.REQUEST);

    static Stream<Exchange> requests() {
        return Captures.xmlRequests().stream();
    }

    static KojiCall decode(KojiCodec codec, Exchange e) throws Exception {
        try (InputStream in = e.openRequest()) {
            return codec.decodeCall(in);
        }
    }

    private KojiCall call(String capture, String nnn) throws Exception {
        return decode(codec, Captures.get(capture, nnn));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void decodesEveryRequestWithTheRecordedMethod(Exchange e) throws Exception {
        KojiCall call = decode(codec, e);
        IndexRow row = Captures.index().get(e.id());
        assertNotNull(row, "index.md does not describe " + e.id());
        assertEquals(row.method(), call.method(), "index.md method");
        Optional<String> metaMethod = Captures.metaString(e, "xmlrpc_method");
        metaMethod.ifPresent(m -> assertEquals(m, call.method(), "meta.json xmlrpc_method"));
        assertTrue(call.kwargs().keySet().stream().noneMatch(KojiCall.STARSTAR::equals), "__starstar is stripped");
        WireValues.assertKojiTypes(e.id() + " args", call.args());
        WireValues.assertKojiTypes(e.id() + " kwargs", call.kwargs());
        if (call.method().equals("multiCall")) {
            List<?> entries = assertInstanceOf(List.class, call.args().get(0));
            List<String> names = new ArrayList<>();
            for (Object entry : entries) {
                names.add(MulticallEntry.decode(entry).method());
            }
            assertEquals(row.multicallEntries(), names, "index.md multiCall entries");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void reencodedRequestDecodesToTheSameCall(Exchange e) throws Exception {
        KojiCall call = decode(codec, e);
        KojiCall again = codec.decodeCall(new ByteArrayInputStream(codec.encodeCall(call)));
        assertEquals(call, again);
    }

    @Test
    void passwordLoginBindsUserPasswordAndOptsKeyword() throws Exception {
        KojiCall login = call("fedpkg-build", "001");
        assertEquals("login", login.method());
        assertEquals(List.of("kojiadmin", "kojiadmin"), login.args());
        assertEquals(1, login.kwargs().size());
        assertTrue(login.kwargs().containsKey("opts"), "opts=None is a keyword argument");
        assertEquals(null, login.kwargs().get("opts"));
    }

    @Test
    void buildHasEmptyOptsPositionalAndPriorityNoneKeyword() throws Exception {
        KojiCall build = call("fedpkg-build", "005");
        assertEquals("build", build.method());
        assertEquals(List.of(HELLO_GIT, "f40-candidate", Map.of()), build.args());
        Map<String, Object> priority = new HashMap<>();
        priority.put("priority", null);
        assertEquals(priority, build.kwargs());
    }

    @Test
    void scratchBuildOfUploadedSrpm() throws Exception {
        KojiCall build = call("fedpkg-scratch-srpm", "006");
        assertEquals("cli-build/1795624613.2278678.MiHhxwvg/hello-1.0-1.fc40.src.rpm", build.args().get(0));
        assertEquals(Map.of("scratch", true), build.args().get(2));
        KojiCall check = call("fedpkg-scratch-srpm", "003");
        assertEquals(List.of("cli-build/1795624613.2278678.MiHhxwvg", "hello-1.0-1.fc40.src.rpm"), check.args());
        assertTrue(check.kwargs().isEmpty());
    }

    @Test
    void listTasksSendsTwoPositionalStructsWithLongStates() throws Exception {
        KojiCall list = call("list-tasks", "002");
        assertEquals(2, list.args().size());
        assertTrue(list.kwargs().isEmpty());
        Map<?, ?> opts = assertInstanceOf(Map.class, list.args().get(0));
        assertEquals(Boolean.TRUE, opts.get("decode"));
        List<?> states = assertInstanceOf(List.class, opts.get("state"));
        assertEquals(List.of(0L, 1L, 4L), states);
        states.forEach(s -> assertInstanceOf(Long.class, s, "<int> decodes as Long"));
        assertEquals(Map.of("order", "priority,create_time"), list.args().get(1));
    }

    @Test
    void chainBuildSendsNestedLevels() throws Exception {
        KojiCall chain = call("fedpkg-chain-build", "005");
        assertEquals("chainBuild", chain.method());
        assertEquals(List.of(List.of(DEP1_GIT), List.of(HELLO_GIT)), chain.args().get(0));
        assertEquals("f40-candidate", chain.args().get(1));
        assertEquals(Map.of(), chain.args().get(2));
        assertTrue(chain.kwargs().containsKey("priority"));
    }

    @Test
    void getBuildTargetsSendsNoneAsFirstPositional() throws Exception {
        KojiCall targets = call("list-targets", "002");
        assertEquals(Arrays.asList((Object) null), targets.args());
        assertTrue(targets.kwargs().isEmpty());
    }

    @Test
    void builderUpdateHostMixesPositionalsAndKeywords() throws Exception {
        KojiCall update = call("builder-session", "006");
        assertEquals("host.updateHost", update.method());
        assertEquals(List.of(0.0, true), update.args());
        assertEquals(Map.of("data", Map.of("methods", List.of("sleep", "newRepo", "fake"), "maxjobs", 1L)), update.kwargs());
        assertInstanceOf(Double.class, update.args().get(0));

        KojiCall shutdown = call("builder-clean-shutdown", "012");
        assertEquals(List.of(), shutdown.args());
        assertEquals(Map.of("task_load", 0.0, "ready", false), shutdown.kwargs());
    }

    @Test
    void keywordOnlyCalls() throws Exception {
        assertEquals(Map.of("all_volumes", true), call("taskinfo", "006").kwargs());
        assertEquals(List.of(1L), call("taskinfo", "006").args());
        assertEquals(Map.of("hostID", 1L, "state", 2L), call("hostinfo", "006").kwargs());
        assertEquals(Map.of("strict", true), call("fault-no-such-task", "002").kwargs());
        assertEquals(Map.of("force", true), call("builder-session", "002").kwargs());
        KojiCall ssl = call("login-ssl", "001");
        assertEquals("sslLogin", ssl.method());
        assertTrue(ssl.args().isEmpty());
        assertTrue(ssl.kwargs().containsKey("proxyuser"));
        KojiCall logout = call("login-ssl", "004");
        assertTrue(logout.kwargs().containsKey("session_id"));
        assertEquals(null, logout.kwargs().get("session_id"));
    }

    @Test
    void multicallEntriesCarryTheirOwnKeywords() throws Exception {
        List<?> entries = (List<?>) call("disable-host", "004").args().get(0);
        KojiCall disable = MulticallEntry.decode(entries.get(0));
        KojiCall edit = MulticallEntry.decode(entries.get(1));
        assertEquals(new KojiCall("disableHost", List.of("builder2"), Map.of()), disable);
        assertEquals(new KojiCall("editHost", List.of("builder2"), Map.of("comment", "maintenance")), edit);

        List<?> cancels = (List<?>) call("multicall-with-fault", "003").args().get(0);
        assertEquals(List.of(999L), MulticallEntry.decode(cancels.get(1)).args());
    }
}

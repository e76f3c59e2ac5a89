package org.fedorabuild.compat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fedorabuild.compat.fault.FaultKind;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.multicall.MulticallEntry;
import org.fedorabuild.compat.server.RecordingHubService.Invocation;
import org.fedorabuild.compat.testing.Captures;
import org.fedorabuild.compat.testing.Captures.Exchange;
import org.fedorabuild.compat.wire.KojiCall;
import org.fedorabuild.compat.wire.KojiCodec;
import org.fedorabuild.compat.wire.WireLimits;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every captured request through {@link KojiDispatcher} against a service with Koji's parameter names,
 * the service answering what the real hub answered: every call must bind, and the dispatcher's answer must
 * be the one the real hub gave (multicall shapes included).
 */
class CapturedDispatchTest {
    private final KojiCodec requestCodec = new KojiCodec(WireLimits.REQUEST);
    private final KojiCodec responseCodec = new KojiCodec(WireLimits.RESPONSE);
    private RecordingHubService service;
    private KojiDispatcher dispatcher;

    @BeforeEach
    void setUp() {
        service = new RecordingHubService();
        dispatcher = new KojiDispatcher(new MethodRegistry().register(service), CallInterceptor.NONE);
    }

    static Stream<Exchange> requests() {
        return Captures.xmlRequests().stream();
    }

    private KojiCall request(Exchange e) throws Exception {
        try (InputStream in = e.openRequest()) {
            return requestCodec.decodeCall(in);
        }
    }

    private Object response(Exchange e) throws Exception {
        try (InputStream in = e.openResponse()) {
            return responseCodec.decodeResponse(in);
        }
    }

    private static CallContext contextFor(Exchange e) {
        return new CallContext(null, "127.0.0.1", null, e.path().endsWith("/ssllogin"));
    }

    /** What the dispatcher answers, as a client reads it off the wire. */
    private Object overTheWire(Object result) throws Exception {
        return responseCodec.decodeResponse(new ByteArrayInputStream(requestCodec.encodeResponse(result)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void everyCapturedRequestBindsAndAnswersLikeTheRealHub(Exchange e) throws Exception {
        KojiCall call = request(e);
        boolean multicall = call.method().equals("multiCall");
        List<String> expectedMethods = new ArrayList<>();
        KojiFault hubFault = null;
        Object hubAnswer = null;
        try {
            hubAnswer = response(e);
        } catch (KojiFault f) {
            hubFault = f;
        }
        if (multicall) {
            for (Object entry : (List<?>) call.args().get(0)) {
                expectedMethods.add(MulticallEntry.decode(entry).method());
            }
            for (Object entry : (List<?>) hubAnswer) {
                service.answer(entry instanceof Map<?, ?> f
                        ? KojiFault.fromWire(((Number) f.get("faultCode")).intValue(), (String) f.get("faultString"))
                        : ((List<?>) entry).get(0));
            }
        } else {
            expectedMethods.add(call.method());
            service.answer(hubFault != null ? hubFault : hubAnswer);
        }

        if (hubFault != null) {
            KojiFault thrown = assertThrows(KojiFault.class, () -> dispatcher.dispatch(contextFor(e), call));
            assertNotEquals(FaultKind.PARAMETER_ERROR, thrown.kind(), thrown.getMessage());
            assertEquals(hubFault.code(), thrown.code());
            assertEquals(hubFault.getMessage(), thrown.getMessage());
        } else {
            Object answer = overTheWire(dispatcher.dispatch(contextFor(e), call));
            if (multicall) {
                List<?> expected = (List<?>) hubAnswer;
                List<?> actual = assertInstanceOf(List.class, answer);
                assertEquals(expected.size(), actual.size(), "one result per multicall entry");
                for (int i = 0; i < expected.size(); i++) {
                    if (expected.get(i) instanceof Map<?, ?> fault) {
                        Map<?, ?> got = assertInstanceOf(Map.class, actual.get(i), "entry " + i + " is a fault struct");
                        assertEquals(fault.get("faultCode"), got.get("faultCode"));
                        assertEquals(fault.get("faultString"), got.get("faultString"));
                    } else {
                        assertEquals(expected.get(i), actual.get(i), "entry " + i + " is [value]");
                    }
                }
            } else {
                assertEquals(hubAnswer, answer);
            }
        }
        assertEquals(expectedMethods, service.invocations().stream().map(Invocation::method).toList());
        assertEquals(0, service.pendingAnswers(), "every call reached the service");
    }

    private Invocation dispatchOne(String capture, String nnn) throws Exception {
        Exchange e = Captures.get(capture, nnn);
        dispatcher.dispatch(contextFor(e), request(e));
        List<Invocation> calls = service.invocations();
        assertEquals(1, calls.size());
        return calls.get(0);
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void passwordLoginBinding() throws Exception {
        Invocation login = dispatchOne("fedpkg-build", "001");
        assertEquals(map("user", "kojiadmin", "password", "kojiadmin", "opts", null, "renew", null, "exclusive", null),
                login.args());
        assertFalse(login.context().sslLoginPath());
    }

    @Test
    void sslLoginArrivesOnTheSslLoginPath() throws Exception {
        Invocation login = dispatchOne("login-ssl", "001");
        assertEquals(map("proxyuser", null, "proxyauthtype", null, "renew", null, "exclusive", null), login.args());
        assertTrue(login.context().sslLoginPath());
    }

    @Test
    void buildBinding() throws Exception {
        Invocation build = dispatchOne("fedpkg-build-ssl", "004");
        assertEquals(map("src", "git+http://127.0.0.1:18710/git/rpms/hello.git?#d0cec64af7f599aab9b1c8070ff0160a03579c5c",
                "target", "f40-candidate", "opts", Map.of("scratch", true), "priority", null, "channel", null), build.args());
    }

    @Test
    void chainBuildBinding() throws Exception {
        Invocation chain = dispatchOne("fedpkg-chain-build", "005");
        List<?> srcs = assertInstanceOf(List.class, chain.args().get("srcs"));
        assertEquals(2, srcs.size());
        assertEquals(List.of("git+http://127.0.0.1:18710/git/rpms/hello.git?#d0cec64af7f599aab9b1c8070ff0160a03579c5c"),
                srcs.get(1));
        assertEquals(Map.of(), chain.args().get("opts"));
    }

    @Test
    void keywordFillsAPositionalParameter() throws Exception {
        // listBuilds(taskID=1): a keyword naming the third positional parameter
        Invocation builds = dispatchOne("taskinfo", "005");
        assertEquals(1L, builds.args().get("taskID"));
        assertEquals(null, builds.args().get("packageID"));
    }

    @Test
    void primitiveParametersTakeWireValues() throws Exception {
        Invocation update = dispatchOne("builder-session", "006");
        assertEquals(map("task_load", 0.0, "ready", true,
                "data", Map.of("methods", List.of("sleep", "newRepo", "fake"), "maxjobs", 1L)), update.args());
        service.reset();
        Invocation shutdown = dispatchOne("builder-clean-shutdown", "012");
        assertEquals(map("task_load", 0.0, "ready", false, "data", null), shutdown.args());
        service.reset();
        assertEquals(map("taskID", 1L, "stat", null, "all_volumes", true, "strict", null),
                dispatchOne("taskinfo", "006").args());
    }

    @Test
    void editHostCollectsKeywordsInKw() throws Exception {
        Exchange e = Captures.get("disable-host", "004");
        dispatcher.dispatch(contextFor(e), request(e));
        List<Invocation> calls = service.invocations();
        assertEquals(map("hostname", "builder2"), calls.get(0).args());
        assertEquals(map("hostInfo", "builder2", "**kw", Map.of("comment", "maintenance")), calls.get(1).args());
    }

    @Test
    void echoTakesStarArgs() throws Exception {
        assertEquals(map("args", List.of("OK")), dispatchOne("builder-session", "003").args());
    }
}

package org.fedorabuild.compat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.server.CallInterceptor;
import org.fedorabuild.compat.server.KojiDispatcher;
import org.fedorabuild.compat.server.MethodRegistry;
import org.fedorabuild.compat.session.SessionCredentials;
import org.fedorabuild.compat.testing.TestHub;
import org.fedorabuild.compat.wire.KojiCall;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link KojiClient} against a Jetty {@code KojiHubHandler}: sessions, call numbers, retries, multicall, timeouts. */
class KojiClientTest {
    /** What the hub saw of one dispatched request. */
    record Seen(KojiCall call, SessionCredentials credentials, boolean sslLoginPath) {
    }

    private static final SessionHub SERVICE = new SessionHub();
    private static final List<Seen> SEEN = new CopyOnWriteArrayList<>();
    private static TestHub hub;
    private static FlakyHandler flaky;
    private final List<KojiClient> clients = new ArrayList<>();

    @BeforeAll
    static void startHub() throws Exception {
        CallInterceptor recorder = (context, call, stage, next) -> {
            if (stage == CallInterceptor.Stage.REQUEST) {
                SEEN.add(new Seen(call, context.credentials().orElse(null), context.sslLoginPath()));
            }
            return next.proceed();
        };
        flaky = new FlakyHandler(TestHub.hubHandler(new KojiDispatcher(new MethodRegistry().register(SERVICE), recorder)));
        hub = new TestHub(flaky);
    }

    @AfterAll
    static void stopHub() throws Exception {
        hub.close();
    }

    @BeforeEach
    void reset() {
        SEEN.clear();
        flaky.requests.clear();
        flaky.failNext.set(0);
        SERVICE.expireNext.set(0);
        SERVICE.offlineNext.set(0);
    }

    @AfterEach
    void closeClients() {
        clients.forEach(KojiClient::close);
    }

    private KojiClient client(ClientSettings settings) {
        KojiClient c = new KojiClient(settings);
        clients.add(c);
        return c;
    }

    private KojiClient client() {
        return client(ClientSettings.defaults(hub.hubUri()).withRetries(3, Duration.ofMillis(10), false));
    }

    private static List<Long> callnums(List<Seen> seen) {
        return seen.stream().map(s -> s.credentials() == null ? null : s.credentials().callnum()).toList();
    }

    @Test
    void loginThenHeaderSessionWithIncreasingCallnums() {
        KojiClient c = client();
        c.login("kojiadmin", "secret");
        assertTrue(c.loggedIn());
        assertEquals(42, c.sessionId());
        assertEquals(1L, c.call("getAPIVersion"));
        assertEquals(List.of("a"), c.call("echo", "a"));
        assertEquals(1L, c.call("getAPIVersion"));
        c.logout();
        assertFalse(c.loggedIn());
        c.call("getAPIVersion");

        assertEquals(Arrays.asList(null, 0L, 1L, 2L, 3L, null), callnums(SEEN), "login and post-logout are anonymous");
        Seen login = SEEN.get(0);
        assertEquals(List.of("kojiadmin", "secret"), login.call().args());
        assertTrue(login.call().kwargs().containsKey("opts") && login.call().kwargs().get("opts") == null);
        for (Seen s : SEEN.subList(1, 5)) {
            assertEquals(42, s.credentials().sessionId());
            assertEquals("1-firstKey", s.credentials().sessionKey());
        }
        Seen logout = SEEN.get(4);
        assertEquals("logout", logout.call().method());
        assertEquals(List.of(), logout.call().args());
        assertEquals(1, logout.call().kwargs().size());
        assertTrue(logout.call().kwargs().containsKey("session_id"), "logout(session_id=None)");
        assertNull(logout.call().kwargs().get("session_id"));

        for (Map<String, String> r : flaky.requests) {
            assertEquals("koji/1", r.get("agent"));
            assertEquals("text/xml", r.get("type"));
            assertEquals("/kojihub", r.get("path"));
        }
    }

    @Test
    void badPasswordIsAnAuthErrorAndLeavesTheClientAnonymous() {
        KojiClient c = client();
        KojiFault f = assertThrows(KojiFault.AuthError.class, () -> c.login("kojiadmin", "wrong"));
        assertEquals(1002, f.code());
        assertFalse(c.loggedIn());
        assertEquals(1, flaky.requests.size(), "faults are not retried");
    }

    @Test
    void sslLoginIsPostedToTheSslLoginPath() {
        KojiClient c = client();
        c.sslLogin();
        c.call("getAPIVersion");
        assertEquals("sslLogin", SEEN.get(0).call().method());
        assertTrue(SEEN.get(0).sslLoginPath());
        assertTrue(SEEN.get(0).call().kwargs().containsKey("proxyuser"));
        assertEquals("/kojihub/ssllogin", flaky.requests.get(0).get("path"));
        assertFalse(SEEN.get(1).sslLoginPath());
        assertEquals("/kojihub", flaky.requests.get(1).get("path"));
        assertEquals("1-sslKey", SEEN.get(1).credentials().sessionKey());
    }

    @Test
    void loggedInClientRetriesTransportErrorsWithTheSameCallnum() {
        KojiClient c = client();
        c.login("kojiadmin", "secret");
        c.call("getAPIVersion");
        flaky.requests.clear();
        flaky.failNext.set(2);
        assertEquals(List.of("again"), c.call("echo", "again"));
        assertEquals(List.of("1", "1", "1"), flaky.requests.stream().map(r -> r.get("callnum")).toList(),
                "two 503s, then the identical request succeeds");
        c.call("getAPIVersion");
        assertEquals("2", flaky.requests.get(3).get("callnum"));

        flaky.requests.clear();
        flaky.failNext.set(4);
        KojiConnectionException e = assertThrows(KojiConnectionException.class, () -> c.call("getAPIVersion"));
        assertEquals(4, e.attempts(), "one attempt plus three retries");
        assertEquals(4, flaky.requests.size());
        assertTrue(e.getMessage().contains("503"), e.getMessage());
    }

    @Test
    void anonymousClientDoesNotRetry() {
        KojiClient c = client();
        flaky.failNext.set(1);
        KojiConnectionException e = assertThrows(KojiConnectionException.class, () -> c.call("getAPIVersion"));
        assertEquals(1, e.attempts());
        assertEquals(1, flaky.requests.size());
        assertEquals("null", flaky.requests.get(0).get("callnum"));

        KojiClient retrying = client(ClientSettings.defaults(hub.hubUri()).withRetries(3, Duration.ofMillis(10), true));
        flaky.failNext.set(1);
        assertEquals(1L, retrying.call("getAPIVersion"), "anon_retry");
    }

    @Test
    void authExpiredLogsInAgainWithRenewThenReplays() {
        KojiClient c = client();
        c.login("kojiadmin", "secret");
        SERVICE.expireNext.set(1);
        assertEquals("fresh", c.call("expiring"));
        assertEquals(List.of("login", "expiring", "login", "expiring"), SEEN.stream().map(s -> s.call().method()).toList());
        Seen renewal = SEEN.get(2);
        assertEquals(Boolean.TRUE, renewal.call().kwargs().get("renew"));
        assertEquals(List.of("kojiadmin", "secret"), renewal.call().args());
        assertEquals(42, renewal.credentials().sessionId(), "renewal is sent with the old session's headers");
        Seen replay = SEEN.get(3);
        assertEquals("1-renewedKey", replay.credentials().sessionKey());
        assertEquals(0L, replay.credentials().callnum(), "callnum restarts at 0 after renewal");

        KojiClient anonymous = client();
        SERVICE.expireNext.set(1);
        assertThrows(KojiFault.AuthExpired.class, () -> anonymous.call("expiring"));
    }

    @Test
    void faultsAreTypedAndNotRetried() {
        KojiClient c = client();
        c.login("kojiadmin", "secret");
        KojiFault f = assertThrows(KojiFault.GenericError.class, () -> c.call("fail", "No such task: 999"));
        assertEquals("No such task: 999", f.getMessage());
        KojiFault unknown = assertThrows(KojiFault.class, () -> c.call("nosuch"));
        assertEquals("Invalid method: nosuch", unknown.getMessage());
        assertEquals(3, flaky.requests.size());
    }

    @Test
    void serverOfflineIsRetriedOnlyWhenAsked() {
        KojiClient plain = client();
        SERVICE.offlineNext.set(1);
        assertThrows(KojiFault.ServerOffline.class, () -> plain.call("offline"));

        ClientSettings d = ClientSettings.defaults(hub.hubUri());
        KojiClient patient = client(new ClientSettings(d.server(), null, d.connectTimeout(), d.callTimeout(),
                d.loginTimeout(), 5, Duration.ofMillis(10), false, true, d.limits(), d.userAgent()));
        SERVICE.offlineNext.set(2);
        assertEquals("online", patient.call("offline"));
    }

    @Test
    void multicallIsBatchedAndKeepsOrder() {
        KojiClient c = client();
        c.login("kojiadmin", "secret");
        List<KojiCall> calls = List.of(KojiCall.of("echo", 0L), KojiCall.of("echo", 1L), KojiCall.of("fail", "boom"),
                KojiCall.of("echo", 3L), KojiCall.of("getAPIVersion"));
        SEEN.clear();
        List<MulticallResult> results = c.multicall(calls, 2);

        assertEquals(5, results.size());
        assertEquals(List.of(0L), results.get(0).value());
        assertEquals(List.of(1L), results.get(1).value());
        assertFalse(results.get(2).ok());
        assertInstanceOf(KojiFault.GenericError.class, results.get(2).fault());
        assertEquals("boom", results.get(2).fault().getMessage());
        assertThrows(KojiFault.GenericError.class, results.get(2)::get);
        assertEquals(List.of(3L), results.get(3).get());
        assertEquals(1L, results.get(4).get());

        assertEquals(List.of("multiCall", "multiCall", "multiCall"), SEEN.stream().map(s -> s.call().method()).toList());
        assertEquals(List.of(0L, 1L, 2L), callnums(SEEN), "one call number per HTTP request");
        assertEquals(List.of(2, 2, 1), SEEN.stream().map(s -> ((List<?>) s.call().args().get(0)).size()).toList());
    }

    @Test
    void concurrentCallsOfOneSessionReachTheHubInCallnumOrder() throws Exception {
        KojiClient c = client();
        c.login("kojiadmin", "secret");
        SEEN.clear();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long millis = (i * 37L) % 50;
            threads.add(new Thread(() -> c.call("slow", millis)));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(10_000);
        }
        List<Long> arrival = callnums(SEEN);
        assertEquals(8, arrival.size());
        assertEquals(arrival.stream().sorted().toList(), arrival,
                "the hub rejects a call number lower than one it has recorded (SequenceError)");
    }

    @Test
    void hubVersionComesFromTheHeader() {
        KojiClient c = client();
        c.call("getAPIVersion");
        // the hub has no getKojiVersion: asking it would fault
        assertEquals(TestHub.KOJI_VERSION, c.hubVersion());
    }

    @Test
    void silentHubTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            KojiClient c = client(ClientSettings.defaults(java.net.URI.create("http://127.0.0.1:" + silent.getLocalPort()
                    + "/kojihub")).withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1)));
            long start = System.nanoTime();
            KojiConnectionException e = assertThrows(KojiConnectionException.class, () -> c.call("getAPIVersion"));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds >= 0.9 && seconds < 3.0, "gave up after " + seconds + " s");
            assertEquals(1, e.attempts());
            for (Socket s : held) {
                s.close();
            }
        }
    }
}

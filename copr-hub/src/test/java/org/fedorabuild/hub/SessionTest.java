package org.fedorabuild.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.hub.testing.Seed;
import org.fedorabuild.hub.testing.TestHub;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Koji's session semantics over raw HTTP: login answer, call numbers, expiry and renewal, exclusivity, logout. */
class SessionTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");

    static TestHub hub;
    static Seed seed;

    @BeforeAll
    static void start() {
        hub = TestHub.start(PG.dataSource());
        seed = Seed.captureState(hub.services);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static String call(String method, String... params) {
        StringBuilder sb = new StringBuilder("<?xml version='1.0'?><methodCall><methodName>" + method + "</methodName><params>");
        for (String p : params) {
            sb.append("<param><value>").append(p).append("</value></param>");
        }
        return sb.append("</params></methodCall>").toString();
    }

    static Map<?, ?> login(String user, String token) {
        return (Map<?, ?>) TestHub.decode(hub.post("/kojihub", call("login", "<string>" + user + "</string>",
                "<string>" + token + "</string>"), Map.of()).body());
    }

    static Object as(Map<?, ?> sinfo, long callnum, String body) {
        return TestHub.decode(hub.post("/kojihub", body, TestHub.sessionHeaders(sinfo, callnum)).body());
    }

    @Test
    void loginAnswersKojisSessionInfoWithHeaderAuthAndAHashedKey() {
        Map<?, ?> s = login("kojiuser", seed.userToken);
        assertEquals(Boolean.TRUE, s.get("header-auth"));
        String key = (String) s.get("session-key");
        assertTrue(key.matches("2-[A-Za-z0-9]{19}"), key);
        String stored = hub.services.db.tx(() -> (String) hub.services.db.scalar("SELECT key_hash FROM sessions WHERE id = ?",
                ((Long) s.get("session-id")).intValue()).orElseThrow());
        assertNotEquals(key, stored);
        Map<?, ?> me = (Map<?, ?>) as(s, 0, call("getLoggedInUser"));
        assertEquals("kojiuser", me.get("name"));
        assertEquals(0L, me.get("authtype"));
        assertEquals(List.of(), me.get("krb_principals"));
        assertTrue(me.containsKey("krb_principal"));
        assertNull(TestHub.decode(hub.post("/kojihub", call("getLoggedInUser"), Map.of()).body()));
    }

    @Test
    void callnumLowerIsSequenceErrorEqualIsRetryErrorOnlyAfterAWrite() {
        Map<?, ?> s = login("kojiadmin", seed.adminToken);
        as(s, 0, call("getAPIVersion"));
        as(s, 0, call("getAPIVersion")); // a retried read is answered: reads never persist the callnum
        as(s, 1, call("editHost", "<string>builder2</string>",
                "<struct><member><name>comment</name><value><string>x</string></value></member>"
                        + "<member><name>__starstar</name><value><boolean>1</boolean></value></member></struct>"));
        KojiFault retry = assertThrows(KojiFault.class, () -> as(s, 1, call("getAPIVersion")));
        assertEquals(1009, retry.code());
        KojiFault seq = assertThrows(KojiFault.class, () -> as(s, 0, call("getAPIVersion")));
        assertEquals(1008, seq.code());
        as(s, 2, call("getAPIVersion"));
    }

    @Test
    void expiredSessionIsAuthExpiredAndRenewalKeepsTheIdWithANewKey() {
        Map<?, ?> s = login("kojiuser", seed.userToken);
        int id = ((Long) s.get("session-id")).intValue();
        hub.services.db.tx(() -> hub.services.db.update("UPDATE sessions SET start_time = now() - interval '2 days' WHERE id = ?", id));
        KojiFault expired = assertThrows(KojiFault.class, () -> as(s, 0, call("getLoggedInUser")));
        assertEquals(1007, expired.code());
        Map<?, ?> renewed = (Map<?, ?>) as(s, 1, call("login", "<string>kojiuser</string>", "<string>" + seed.userToken + "</string>",
                "<struct><member><name>renew</name><value><boolean>1</boolean></value></member>"
                        + "<member><name>__starstar</name><value><boolean>1</boolean></value></member></struct>"));
        assertEquals(s.get("session-id"), renewed.get("session-id"));
        assertNotEquals(s.get("session-key"), renewed.get("session-key"));
        assertEquals("kojiuser", ((Map<?, ?>) as(renewed, 0, call("getLoggedInUser"))).get("name"));
        KojiFault oldKey = assertThrows(KojiFault.class, () -> as(s, 5, call("getLoggedInUser")));
        assertEquals(1002, oldKey.code());
    }

    /** A burst of calls (an upload's chunks) records the session's activity at most once a second, not per call. */
    @Test
    void sessionActivityIsWrittenOnlyWhenItIsOlderThanASecond() {
        Map<?, ?> s = login("kojiuser", seed.userToken);
        int id = ((Long) s.get("session-id")).intValue();
        var db = hub.services.db;
        String time = "SELECT extract(epoch FROM now() - update_time)::float8 FROM sessions WHERE id = ?";
        db.tx(() -> db.update("UPDATE sessions SET update_time = now() - interval '1 hour' WHERE id = ?", id));
        as(s, 0, call("getLoggedInUser"));
        double age = (Double) db.tx(() -> db.scalar(time, id).orElseThrow());
        assertTrue(age < 60, "a call on a session idle for an hour records its activity: " + age + " s old");
        // touched "in the future": still fresh, so the next call must not write it again
        db.tx(() -> db.update("UPDATE sessions SET update_time = now() + interval '1 hour' WHERE id = ?", id));
        as(s, 1, call("getLoggedInUser"));
        age = (Double) db.tx(() -> db.scalar(time, id).orElseThrow());
        assertTrue(age < -3000, "a call within a second of the last touch writes nothing: " + age + " s old");
    }

    @Test
    void exclusiveSessionLocksOutOtherSessionsUntilForced() {
        Map<?, ?> first = login("builder2", token("builder2"));
        Map<?, ?> second = login("builder2", token("builder2"));
        assertNull(as(first, 0, call("exclusiveSession",
                "<struct><member><name>force</name><value><boolean>0</boolean></value></member>"
                        + "<member><name>__starstar</name><value><boolean>1</boolean></value></member></struct>")));
        KojiFault locked = assertThrows(KojiFault.class, () -> as(second, 0, call("getLoggedInUser")));
        assertEquals(1006, locked.code());
        KojiFault noForce = assertThrows(KojiFault.class, () -> as(second, 1, call("exclusiveSession")));
        assertEquals(1006, noForce.code());
        as(second, 2, call("exclusiveSession", "<struct><member><name>force</name><value><boolean>1</boolean></value></member>"
                + "<member><name>__starstar</name><value><boolean>1</boolean></value></member></struct>"));
        assertEquals("builder2", ((Map<?, ?>) as(second, 3, call("getLoggedInUser"))).get("name"));
        KojiFault closed = assertThrows(KojiFault.class, () -> as(first, 1, call("getLoggedInUser")));
        assertEquals(1002, closed.code(), "the forced-out session was closed");
    }

    @Test
    void logoutClosesTheSessionAndBadOrExpiredTokensAreRefused() {
        Map<?, ?> s = login("kojiuser", seed.userToken);
        as(s, 0, call("logout", "<struct><member><name>session_id</name><value><nil/></value></member>"
                + "<member><name>__starstar</name><value><boolean>1</boolean></value></member></struct>"));
        assertEquals(1002, assertThrows(KojiFault.class, () -> as(s, 1, call("getLoggedInUser"))).code());
        String expiring = token("kojiuser");
        hub.services.db.tx(() -> hub.services.db.update("UPDATE api_tokens SET expire_time = now() - interval '1 second'"
                + " WHERE id = (SELECT max(id) FROM api_tokens)"));
        KojiFault bad = assertThrows(KojiFault.class, () -> login("kojiuser", expiring));
        assertEquals(1002, bad.code());
        assertEquals("invalid username or password", bad.getMessage());
        assertEquals(1002, assertThrows(KojiFault.class, () -> login("nosuchuser", expiring)).code());
        assertEquals(1002, assertThrows(KojiFault.class, () -> as(Map.of("session-id", 99999, "session-key", "1-x"), 0,
                call("getLoggedInUser"))).code());
    }

    @Test
    void sslLoginOnThePlainPortWithoutACertificateIsAnAuthError() {
        KojiFault f = assertThrows(KojiFault.class, () -> TestHub.decode(hub.post("/kojihub/ssllogin", call("sslLogin"), Map.of()).body()));
        assertEquals(1002, f.code());
    }

    static String token(String user) {
        var s = hub.services;
        return s.db.tx(() -> s.tokens.create((Integer) s.users.byName(user).orElseThrow().get("id"), null));
    }
}

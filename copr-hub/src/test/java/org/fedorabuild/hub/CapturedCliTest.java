package org.fedorabuild.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.hub.testing.Seed;
import org.fedorabuild.hub.testing.TestHub;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the request bodies the real koji CLI sent (koji-wire captures, in src/test/resources) against
 * copr-hub seeded with equivalent data, and checks each answer has the shape of the real hub's: same
 * struct keys with the same value types, faults with the same code (and text where the CLI shows it).
 * Certificate logins of the captures are replayed as token logins of the same user.
 */
class CapturedCliTest {
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

    static Stream<Arguments> readOnlyCaptures() {
        return Stream.of("hello", "list-targets", "list-hosts", "list-hosts-multicall", "list-tasks", "taskinfo",
                "taskinfo-missing", "hostinfo", "list-builds", "fault-no-such-task", "login-password", "login-password-bad",
                "fault-permission", "free-task", "enable-host", "disable-host", "multicall-with-fault").map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readOnlyCaptures")
    void replayedCaptureAnswersInTheShapeTheCliReads(String capture) throws IOException {
        Map<?, ?> session = null;
        long callnum = 0;
        for (int n = 1; ; n++) {
            String nnn = String.format("%03d", n);
            String request = resource(capture, nnn + "-request.xml");
            if (request == null) {
                break;
            }
            String expected = resource(capture, nnn + "-response.xml");
            request = adapt(request);
            boolean login = request.contains("<methodName>login</methodName>") || request.contains("<methodName>sslLogin</methodName>");
            if (request.contains("<methodName>sslLogin</methodName>")) {
                // Certificate login in the capture; the same user logs in with a token here.
                String user = capture.equals("fault-permission") ? "kojiuser" : "kojiadmin";
                request = loginBody(user, user.equals("kojiuser") ? seed.userToken : seed.adminToken);
            }
            var http = hub.post("/kojihub", request, session == null || login ? Map.of() : TestHub.sessionHeaders(session, callnum++));
            assertEquals(200, http.statusCode(), capture + "/" + nnn);
            assertEquals("1.34.3", http.headers().firstValue("Koji-Version").orElse(null));
            Object want;
            try {
                want = TestHub.decode(expected);
            } catch (KojiFault f) {
                KojiFault got = assertThrows(KojiFault.class, () -> TestHub.decode(http.body()), capture + "/" + nnn);
                assertEquals(f.code(), got.code(), capture + "/" + nnn + ": " + got.getMessage());
                assertEquals(f.getMessage(), got.getMessage(), capture + "/" + nnn);
                continue;
            }
            Object got = TestHub.decode(http.body());
            assertSameShape(want, got, capture + "/" + nnn);
            if (login) {
                session = (Map<?, ?>) got;
            }
        }
    }

    /** The captures name Koji's objects; copr-hub's equivalents are a project target and its tags. */
    private static String adapt(String request) {
        String body = request.replace("f40-candidate", Seed.PROJECT).replace("<string>f40</string>", "<string>" + Seed.PROJECT + "</string>");
        if (body.contains("<methodName>login</methodName>")) {
            body = loginBody("kojiadmin", body.contains("<string>wrong</string>") ? "wrong" : seed.adminToken);
        }
        return body;
    }

    private static String loginBody(String user, String password) {
        return "<?xml version='1.0'?>\n<methodCall>\n<methodName>login</methodName>\n<params>\n<param>\n<value><string>" + user
                + "</string></value>\n</param>\n<param>\n<value><string>" + password + "</string></value>\n</param>\n<param>\n"
                + "<value><struct>\n<member>\n<name>opts</name>\n<value><nil/></value></member>\n<member>\n<name>__starstar</name>\n"
                + "<value><boolean>1</boolean></value>\n</member>\n</struct></value>\n</param>\n</params>\n</methodCall>\n";
    }

    static void assertSameShape(Object want, Object got, String where) {
        if (want == null || got == null) {
            return; // nil on either side: a value that differs between the hubs' data, not its type
        }
        if (want instanceof Map<?, ?> w) {
            Map<?, ?> g = assertInstanceOf(Map.class, got, where);
            if (w.containsKey("faultCode")) {
                assertEquals(w.get("faultCode"), g.get("faultCode"), where + ": " + g);
                assertEquals(w.get("faultString"), g.get("faultString"), where);
                return;
            }
            List<Object> missing = new ArrayList<>();
            for (var e : w.entrySet()) {
                if (!g.containsKey(e.getKey())) {
                    missing.add(e.getKey());
                } else {
                    assertSameShape(e.getValue(), g.get(e.getKey()), where + "." + e.getKey());
                }
            }
            assertTrue(missing.isEmpty(), where + ": missing keys " + missing + " in " + g);
        } else if (want instanceof List<?> w) {
            List<?> g = assertInstanceOf(List.class, got, where);
            // Same emptiness; lengths may differ where copr-hub has more (a project has two targets).
            assertEquals(w.isEmpty(), g.isEmpty(), where + ": got " + g);
            for (int i = 0; i < Math.min(w.size(), g.size()); i++) {
                assertSameShape(w.get(i), g.get(i), where + "[" + i + "]");
            }
        } else {
            assertEquals(want.getClass(), got.getClass(), where + ": " + want + " vs " + got);
        }
    }

    private static String resource(String capture, String file) throws IOException {
        try (InputStream in = CapturedCliTest.class.getResourceAsStream("/koji-wire/" + capture + "/" + file)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void listTargetsShowsTheProjectTargets() {
        try (var k = hub.client()) {
            List<?> targets = (List<?>) k.call("getBuildTargets", (Object) null);
            List<Object> names = targets.stream().map(t -> (Object) ((Map<?, ?>) t).get("name")).toList();
            assertEquals(List.of(Seed.PROJECT, Seed.CHROOT_TARGET), names);
            Map<?, ?> chroot = (Map<?, ?>) targets.get(1);
            assertEquals(Seed.CHROOT_TARGET, chroot.get("build_tag_name"));
            assertEquals(Seed.PROJECT, chroot.get("dest_tag_name"));
        }
    }

    @Test
    void tagAndBuildQueriesOfTaginfoListTaggedLatestBuildBuildinfoAndListPkgs() {
        try (var k = hub.client()) {
            Map<?, ?> cfg = (Map<?, ?>) k.call("getBuildConfig", Seed.CHROOT_TARGET);
            assertEquals("x86_64", cfg.get("arches"));
            assertNotNull(cfg.get("config_inheritance"));
            List<?> parents = (List<?>) k.call("getInheritanceData", cfg.get("id"));
            assertEquals(Seed.PROJECT, ((Map<?, ?>) parents.get(0)).get("name"));
            Map<?, ?> latest = (Map<?, ?>) ((List<?>) k.callKw("getLatestBuilds", List.of(Seed.CHROOT_TARGET), Map.of("package", "bash"))).get(0);
            assertEquals("bash-5.2.26-1.fc40", latest.get("nvr"));
            assertEquals(Seed.PROJECT, latest.get("tag_name"));
            assertEquals("kojiadmin", latest.get("owner_name"));
            List<?> tagged = (List<?>) k.call("listTagged", Seed.PROJECT);
            assertEquals(1, tagged.size());
            Map<?, ?> build = (Map<?, ?>) k.call("getBuild", "bash-5.2.26-1.fc40");
            for (String f : List.of("nvr", "owner_name", "state", "completion_ts", "id", "volume_name")) {
                assertTrue(build.containsKey(f), f);
            }
            assertEquals(Seed.PROJECT, build.get("copr_project"));
            List<?> tags = (List<?>) k.call("listTags", build.get("id"));
            assertEquals(Seed.PROJECT, ((Map<?, ?>) tags.get(0)).get("name"));
            assertEquals(1, ((List<?>) k.callKw("listRPMs", List.of(), Map.of("buildID", build.get("id")))).size());
            assertNull(k.call("getBuild", "nosuch-1-1"));
            List<?> pkgs = (List<?>) k.callKw("listPackages", List.of(), Map.of("tagID", cfg.get("id"), "inherited", true));
            Map<?, ?> pkg = (Map<?, ?>) pkgs.get(0);
            for (String f : List.of("package_name", "package_id", "extra_arches", "owner_name", "tag_name")) {
                assertTrue(pkg.containsKey(f), f);
            }
            List<?> perms = (List<?>) k.call("getAllPerms");
            assertTrue(perms.stream().anyMatch(p -> "admin".equals(((Map<?, ?>) p).get("name"))));
        }
    }

    @Test
    void unknownMethodsAndBadArgumentsAreKojiFaultsNeverStackTraces() {
        try (var k = hub.client()) {
            KojiFault unknown = assertThrows(KojiFault.class, () -> k.call("noSuchMethod"));
            assertEquals(1000, unknown.code());
            assertEquals("Invalid method: noSuchMethod", unknown.getMessage());
            KojiFault kw = assertThrows(KojiFault.class, () -> k.callKw("listTaskOutput", List.of(1), Map.of("bogus", true)));
            assertEquals(1019, kw.code());
            assertTrue(kw.getMessage().contains("got an unexpected keyword argument 'bogus'"), kw.getMessage());
            KojiFault type = assertThrows(KojiFault.class, () -> k.call("getTag", List.of(1.5)));
            assertEquals(1019, type.code());
            KojiFault nvr = assertThrows(KojiFault.class, () -> k.call("getBuild", "notannvr"));
            assertEquals(1000, nvr.code());
            KojiFault order = assertThrows(KojiFault.class, () -> k.call("listTasks", Map.of(), Map.of("order", "id; DROP TABLE tasks")));
            assertEquals(1000, order.code());
            for (KojiFault f : List.of(unknown, kw, type, nvr, order)) {
                if (f.getMessage().contains("Exception") || f.getMessage().contains("\tat ")) {
                    fail("stack trace leaked: " + f.getMessage());
                }
            }
        }
    }
}

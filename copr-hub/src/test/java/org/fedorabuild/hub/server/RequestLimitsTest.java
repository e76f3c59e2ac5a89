package org.fedorabuild.hub.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.upload.FastUpload;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.namespace.CoprName;
import org.fedorabuild.hub.task.TaskPayloads;
import org.fedorabuild.hub.testing.TestHub;
import org.fedorabuild.hub.testing.TinyPackages;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Issue 19's bounded work per request, per address and per user, on a real hub with small limits. */
class RequestLimitsTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path tmp;

    static TestHub hub;
    static String token;

    @BeforeAll
    static void start() {
        hub = TestHub.start(PG.dataSource(), "DataDir = " + tmp.resolve("data") + "\nMulticallMaxCalls = 50\nAnonListDefault = 5\n"
                + "AnonListMax = 7\nMaxConnectionsPerAddress = 20\nMaxThreadsPerAddress = 4\nUserMaxSessions = 2\n"
                + "UserActiveBuilds = 1\nUserUploadBytes = 4096\nMaxAnswerBytes = 200000\n");
        var s = hub.services;
        token = s.db.tx(() -> {
            int alice = s.users.create("alice", Users.NORMAL);
            int bob = s.users.create("bob", Users.NORMAL);
            s.projects.create(CoprName.parse("alice/p"), List.of("fedora-40-x86_64"), null);
            for (int i = 0; i < 10; i++) {
                s.tasks.create(bob, "sleep", "noarch", 20, TaskPayloads.encodeRequest("sleep", List.of(i), Map.of()), null, null, null);
            }
            return s.tokens.create(alice, null);
        });
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static String multicall(String method, String params, int n) {
        StringBuilder sb = new StringBuilder("<?xml version='1.0'?><methodCall><methodName>multiCall</methodName><params><param><value>"
                + "<array><data>");
        for (int i = 0; i < n; i++) {
            sb.append("<value><struct><member><name>methodName</name><value><string>").append(method)
                    .append("</string></value></member><member><name>params</name><value><array><data>").append(params)
                    .append("</data></array></value></member></struct></value>");
        }
        return sb.append("</data></array></value></param></params></methodCall>").toString();
    }

    @Test
    void aMulticallOfTooManyCallsIsAFault() {
        KojiFault f = assertThrows(KojiFault.class, () -> TestHub.decode(hub.post("/kojihub", multicall("listTasks", "", 51), Map.of()).body()));
        assertTrue(f.getMessage().contains("51 calls exceeds the limit of 50"), f.getMessage());
    }

    @Test
    void aMulticallWhoseAnswerOutgrowsMaxAnswerBytesStopsWithAFault() throws Exception {
        // downloadTaskOutput of a 100 kB output (133 kB in base64), 10 times: one entry fits, two do not
        int task = (Integer) hub.services.db.scalar("SELECT min(id) FROM tasks").orElseThrow();
        Path out = hub.services.outputs.dir(task).resolve("big.log");
        Files.createDirectories(out.getParent());
        Files.write(out, new byte[100_000]);
        String params = "<value><int>" + task + "</int></value><value><string>big.log</string></value>";
        assertEquals(1, ((List<?>) TestHub.decode(hub.post("/kojihub", multicall("downloadTaskOutput", params, 1), Map.of()).body())).size());
        KojiFault f = assertThrows(KojiFault.class,
                () -> TestHub.decode(hub.post("/kojihub", multicall("downloadTaskOutput", params, 10), Map.of()).body()));
        assertTrue(f.getMessage().contains("exceeds the limit of 200000 bytes after 2 of 10 calls"), f.getMessage());
    }

    @Test
    void anonymousListsGetADefaultAndAMaximumLimit() {
        try (KojiClient anon = hub.client(); KojiClient alice = hub.client()) {
            assertEquals(5, ((List<?>) anon.call("listTasks")).size());
            assertEquals(7, ((List<?>) anon.callKw("listTasks", List.of(), Map.of("queryOpts", Map.of("limit", 1000)))).size());
            // counts are not capped (other tests of this class may have added tasks)
            assertTrue(((Number) anon.callKw("listTasks", List.of(), Map.of("queryOpts", Map.of("countOnly", true)))).longValue() >= 10);
            alice.login("alice", token);
            assertTrue(((List<?>) alice.call("listTasks")).size() >= 10);
        }
    }

    @Test
    void closedConnectionsGiveTheirSlotBack() throws Exception {
        // three times MaxConnectionsPerAddress (20) requests, each on a connection of its own, one after the other:
        // every one is answered only if each close is counted against the address it opened from
        for (int i = 0; i < 60; i++) {
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 0));
                s.connect(new InetSocketAddress("127.0.0.1", hub.server.port()), 5000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(answer.startsWith("HTTP/1.1 200"), "connection " + (i + 1) + " of 60 answered: '" + answer + "'");
            }
        }
    }

    @Test
    void slowClientsFromOneAddressDoNotStarveHealth() throws Exception {
        List<Socket> trickling = new ArrayList<>();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            for (int i = 0; i < 210; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
                s.connect(new InetSocketAddress("127.0.0.1", hub.server.port()), 5000);
                OutputStream o = s.getOutputStream();
                o.write(("POST /kojihub HTTP/1.1\r\nHost: hub\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n<")
                        .getBytes(StandardCharsets.US_ASCII));
                o.flush();
                trickling.add(s);
            }
            for (int round = 0; round < 3; round++) {
                for (Socket s : trickling) {
                    try {
                        s.getOutputStream().write('x');
                    } catch (java.io.IOException closedByTheHub) {
                        // the per-address limit closed it: what it is for
                    }
                }
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.server.port()
                        + "/health")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode());
                HttpResponse<String> call = http.send(HttpRequest.newBuilder(URI.create(hub.url())).timeout(Duration.ofSeconds(5))
                        .POST(HttpRequest.BodyPublishers.ofString("<?xml version='1.0'?><methodCall><methodName>getAPIVersion"
                                + "</methodName><params></params></methodCall>")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(1L, ((Number) TestHub.decode(call.body())).longValue(), "other clients are still answered");
            }
        } finally {
            for (Socket s : trickling) {
                s.close();
            }
        }
    }

    @Test
    void sessionsBuildsAndUploadsAreLimitedPerUser() throws Exception {
        KojiClient first = hub.client();
        first.login("alice", token);
        try (KojiClient second = hub.client(); KojiClient third = hub.client()) {
            second.login("alice", token);
            third.login("alice", token);
            assertThrows(KojiFault.AuthError.class, () -> first.call("getLoggedInUser"), "the oldest session was ended");
            assertEquals("alice", ((Map<?, ?>) third.call("getLoggedInUser")).get("name"));

            Path srpm = TinyPackages.srpm(tmp, "limited", "1.0", 0);
            FastUpload.Result up = FastUpload.upload(third, srpm, FastUpload.uniqueDir("cli-build"), srpm.getFileName().toString(),
                    FastUpload.DEFAULT_BLOCK_SIZE);
            third.call("build", up.serverPath(), "alice/p", Map.of());
            Path again = TinyPackages.srpm(tmp.resolve("again"), "limited2", "1.0", 0);
            FastUpload.Result up2 = FastUpload.upload(third, again, FastUpload.uniqueDir("cli-build"), again.getFileName().toString(),
                    FastUpload.DEFAULT_BLOCK_SIZE);
            KojiFault busy = assertThrows(KojiFault.class, () -> third.call("build", up2.serverPath(), "alice/p", Map.of()));
            assertTrue(busy.getMessage().contains("limit is 1 (UserActiveBuilds)"), busy.getMessage());

            // the second SRPM still sits in alice's upload area: past 4096 bytes held, no more chunks
            Path big = tmp.resolve("big.bin");
            Files.write(big, new byte[8192]);
            KojiFault full = assertThrows(KojiFault.class, () -> FastUpload.upload(third, big, FastUpload.uniqueDir("cli-build"), "big.bin",
                    4096));
            assertTrue(full.getMessage().contains("(UserUploadBytes)"), full.getMessage());
        } finally {
            first.close();
        }
    }
}

package org.fedorabuild.hub.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.client.ClientSettings;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.hub.testing.TestHub;
import org.fedorabuild.hub.testing.ServeProcess;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code copr-hub serve} in its own JVM with a 256 MB heap, first start on an empty database: the admin
 * token lands in a 0600 file and appears nowhere in its output (stdout and log), the data directories are
 * private, and issue 19's multicall amplification (13 400 listTasks, 10 downloadTaskOutput of a 16 MB output)
 * is refused with faults while the hub keeps answering.
 */
class ServeSecretsTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    Path tmp;

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

    private static HttpResponse<String> post(HttpClient http, int port, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/kojihub")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "text/xml").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void firstStartKeepsTheTokenInAPrivateFileAndAmplifiedMulticallsAreRefused() throws Exception {
        Path data = tmp.resolve("data");
        ServeProcess serve = ServeProcess.start(PG, tmp, "256m");
        Process p = serve.process;
        int port = serve.port;
        Path log = serve.log;
        HttpClient http = HttpClient.newHttpClient();
        try {
            Path tokenFile = data.toAbsolutePath().resolve("admin-token");
            String out = Files.readString(log);
            assertTrue(out.contains("Its API token is in " + tokenFile), out);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
            String token = Files.readString(tokenFile).strip();
            assertTrue(token.startsWith("coprhub-"), token);
            assertFalse(out.contains(token), "the token is printed nowhere:\n" + out);
            assertTrue(out.contains("--password \"$(cat " + tokenFile + ")\""), out);
            for (String d : List.of("work", "builder", "results")) {
                assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(d))), d);
            }
            assertFalse(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)).matches(".*r..$"), "others cannot list DATA");

            KojiClient admin = new KojiClient(ClientSettings.defaults(URI.create("http://127.0.0.1:" + port + "/kojihub"))
                    .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30)));
            admin.login("admin", token);
            assertEquals("admin", ((Map<?, ?>) admin.call("getLoggedInUser")).get("name"));
            admin.close();

            // 8 tasks and a 16 MB output, then the two multicalls, anonymous
            var db = new org.fedorabuild.hub.db.Db(PG.dataSource());
            int task = 0;
            for (int i = 0; i < 8; i++) {
                task = db.tx(() -> new org.fedorabuild.hub.task.Tasks(db).create(1, "sleep", "noarch", 20,
                        org.fedorabuild.hub.task.TaskPayloads.encodeRequest("sleep", List.of(1), Map.of()), null, null, null));
            }
            Path output = data.resolve("work/tasks/" + (task % 10000) + "/" + task + "/big.log");
            Files.createDirectories(output.getParent());
            byte[] chunk = new byte[1 << 20];
            new java.util.Random(1).nextBytes(chunk);
            for (int i = 0; i < 16; i++) {
                Files.write(output, chunk, i == 0 ? new java.nio.file.OpenOption[0]
                        : new java.nio.file.OpenOption[] {java.nio.file.StandardOpenOption.APPEND});
            }
            KojiFault many = assertThrows(KojiFault.class, () -> TestHub.decode(post(http, port, multicall("listTasks", "", 13_400)).body()));
            assertTrue(many.getMessage().contains("13400 calls exceeds the limit of 5000"), many.getMessage());
            String params = "<value><int>" + task + "</int></value><value><string>big.log</string></value>";
            KojiFault big = assertThrows(KojiFault.class,
                    () -> TestHub.decode(post(http, port, multicall("downloadTaskOutput", params, 10)).body()));
            assertTrue(big.getMessage().contains("exceeds the limit of 67108864 bytes"), big.getMessage());
            assertTrue(p.isAlive(), "the hub survived");
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            assertFalse(Files.readString(log).contains("OutOfMemoryError"), Files.readString(log));
            assertFalse(Files.readString(log).contains(token));
        } finally {
            serve.close();
        }
    }
}

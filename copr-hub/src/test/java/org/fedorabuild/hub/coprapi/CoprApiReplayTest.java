package org.fedorabuild.hub.coprapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.namespace.CoprName;
import org.fedorabuild.hub.namespace.ProjectSettings.Input;
import org.fedorabuild.hub.testing.CoprSeed;
import org.fedorabuild.hub.testing.TestHub;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code /api_3/} request the real copr-cli 2.5 sent in the harness capture ({@code src/test/resources/copr-wire},
 * recorded against a server answering with Copr's shapes), replayed in order against copr-hub seeded with the same state
 * (alice/demo with chroots fedora-40-x86_64 and fedora-rawhide-x86_64 and a succeeded build, bob/other). Each answer
 * must have the recorded status, the recorded keys (the fields copr-cli reads among them), Copr's error shape, and the
 * values the CLI prints (states, names). Build ids the capture created are mapped to the ones copr-hub creates.
 */
class CoprApiReplayTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path tmp;
    static TestHub hub;
    static String aliceToken;
    static final Map<String, Integer> ids = new HashMap<>();
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Scenarios building from http(s) URLs: they need the hub's URL sources (issue 13, package hub.source). */
    static final Set<String> URL_SCENARIOS = Set.of("build-url", "build-url-one-chroot");

    @BeforeAll
    static void seed() throws Exception {
        hub = TestHub.start(PG.dataSource(), "DataDir = " + tmp.resolve("data") + "\nSCMSchemes = git git+https\n");
        var s = hub.services;
        int alice = s.db.tx(() -> s.users.create("alice", Users.NORMAL));
        int bob = s.db.tx(() -> s.users.create("bob", Users.NORMAL));
        aliceToken = s.db.tx(() -> s.tokens.create(alice, null));
        s.selfService.create(alice, CoprName.parse("alice/demo"), new Input("Demo project of the record server", null,
                List.of("fedora-40-x86_64", "fedora-rawhide-x86_64"), null, null, null));
        s.selfService.create(bob, CoprName.parse("bob/other"), Input.empty().withChroots(List.of("fedora-40-x86_64")));
        ids.put("1000", CoprSeed.succeededBuild(s, "alice/demo", "hello", "2.12", "1"));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static boolean urlSources() {
        try {
            Class.forName("org.fedorabuild.hub.source.FetchTasks");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @TestFactory
    Stream<DynamicTest> replay() throws Exception {
        Path root = Path.of(getClass().getResource("/copr-wire").toURI());
        List<Path> records = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> p.toString().endsWith(".json")).forEach(records::add);
        }
        records.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        assertTrue(records.size() >= 30, "the capture has its records: " + records.size());
        return records.stream().map(p -> DynamicTest.dynamicTest(p.getParent().getFileName() + "/" + p.getFileName(), () -> replay(p)));
    }

    private void replay(Path file) throws Exception {
        String scenario = file.getParent().getFileName().toString();
        JsonNode rec = JSON.readTree(file.toFile());
        Assumptions.assumeTrue(!URL_SCENARIOS.contains(scenario) || urlSources(), "needs URL sources (hub.source) on this branch");
        String path = mapIds(rec.get("path").asText(), "(?<=/)(1\\d{3})(?=$|/)");
        String query = mapIds(rec.path("query_string").asText(""), "(?<=build_id=)(1\\d{3})(?=$|&)");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.server.port() + path
                + (query.isEmpty() ? "" : "?" + query))).header("User-Agent", rec.path("headers").path("User-Agent").asText("copr"));
        if (rec.has("auth") && !rec.get("auth").isNull()) {
            boolean good = rec.get("auth").path("token").asText().equals("s3cr3t-token");
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("alice:" + (good ? aliceToken : "wrong-token"))
                    .getBytes(StandardCharsets.UTF_8)));
        }
        JsonNode body = rec.path("body");
        byte[] bytes = new byte[0];
        if (body.has("parts")) {
            String boundary = "b" + Long.toHexString(System.nanoTime());
            bytes = multipart(boundary, body.get("parts"));
            b.header("Content-Type", "multipart/form-data; boundary=" + boundary);
        } else if (body.has("json")) {
            bytes = JSON.writeValueAsBytes(body.get("json"));
            b.header("Content-Type", "application/json");
        }
        b.method(rec.get("method").asText(), bytes.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        HttpResponse<String> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode want = rec.path("response").path("json");
        JsonNode got = JSON.readTree(res.body());
        String what = rec.get("method").asText() + " " + path + "?" + query + " -> " + res.statusCode() + " " + res.body();
        assertEquals(rec.path("response").path("status").asInt(), res.statusCode(), what);
        assertEquals(want.has("error"), got.has("error"), what);
        if (want.has("error")) {
            assertTrue(got.get("error").isTextual() && !got.get("error").asText().isBlank(), what);
            if (want.has("output")) {
                assertEquals("notok", got.path("output").asText(), what);
            }
            return;
        }
        assertKeys(want, got, what);
        if (want.has("items")) {
            assertTrue(got.get("meta").isObject(), what);
            assertEquals(want.get("items").isEmpty(), got.get("items").isEmpty(), "an empty page ends copr-cli's paging: " + what);
            if (!want.get("items").isEmpty()) {
                assertKeys(want.get("items").get(0), got.get("items").get(0), what);
            }
        }
        checkValues(rec, want, got, what);
        String p = rec.get("path").asText();
        if (p.contains("/create/") || p.endsWith("/package/build")) {
            rememberIds(want, got);
        }
    }

    /** Values copr-cli prints or acts on. */
    private static void checkValues(JsonNode rec, JsonNode want, JsonNode got, String what) {
        String path = rec.get("path").asText();
        boolean created = path.contains("/create/") || path.endsWith("/package/build");
        if (created || path.contains("/cancel/") || path.endsWith("/build/1000")) {
            JsonNode w = want.has("items") ? want.get("items").get(0) : want;
            JsonNode g = got.has("items") ? got.get("items").get(0) : got;
            assertEquals(w.get("state").asText(), g.get("state").asText(), what);
            assertEquals(w.get("projectname").asText(), g.get("projectname").asText(), what);
            assertEquals(w.get("ownername").asText(), g.get("ownername").asText(), what);
            assertTrue(g.get("repo_url").asText().endsWith("/results/alice/demo"), what);
        }
        if (path.startsWith("/api_3/project") && want.has("name")) {
            assertEquals(want.get("name").asText(), got.get("name").asText(), what);
            assertEquals(iter(want.path("chroot_repos").fieldNames()), iter(got.path("chroot_repos").fieldNames()), what);
        }
        if (path.startsWith("/api_3/build-chroot/list")) {
            for (JsonNode c : got.get("items")) {
                assertEquals("succeeded", c.get("state").asText(), what);
                assertTrue(c.get("result_url").asText().matches("http://127\\.0\\.0\\.1:\\d+/results/alice/demo/" + c.get("name").asText()
                        + "/\\d{8}-hello/"), what);
            }
        }
        if (path.startsWith("/api_3/build/built-packages")) {
            assertEquals(iter(want.fieldNames()), iter(got.fieldNames()), what);
        }
    }

    private static List<String> iter(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        out.sort(null);
        return out;
    }

    private static void assertKeys(JsonNode want, JsonNode got, String what) {
        assertTrue(got.isObject(), what);
        want.fieldNames().forEachRemaining(k -> assertTrue(got.has(k), "missing key " + k + ": " + what));
    }

    private static void rememberIds(JsonNode want, JsonNode got) {
        if (want.has("items")) {
            for (int i = 0; i < want.get("items").size(); i++) {
                remember(want.get("items").get(i), got.get("items").get(i));
            }
        } else {
            remember(want, got);
        }
    }

    private static void remember(JsonNode want, JsonNode got) {
        if (want.has("state") && want.has("id") && got.has("id")) {
            ids.putIfAbsent(want.get("id").asText(), got.get("id").asInt());
        }
    }

    /** Recorded build ids (1000 and up) in a path or query, replaced by copr-hub's; an id never created here skips the record. */
    private static String mapIds(String s, String regex) {
        var m = java.util.regex.Pattern.compile(regex).matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Integer ours = ids.get(m.group(1));
            Assumptions.assumeTrue(ours != null, "build " + m.group(1) + " came from a skipped scenario");
            m.appendReplacement(sb, String.valueOf(ours));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** A real SRPM named NAME-VERSION-RELEASE.src.rpm (release 1), made with rpmbuild. */
    private static Path srpm(String file) throws Exception {
        String nvr = file.replace(".src.rpm", "");
        int r = nvr.lastIndexOf('-');
        int v = nvr.lastIndexOf('-', r - 1);
        return org.fedorabuild.hub.testing.TinyPackages.srpm(tmp, nvr.substring(0, v), nvr.substring(v + 1, r), 0);
    }

    /** The recorded parts; the file part is a real SRPM of the recorded name (the hub reads its header). */
    private static byte[] multipart(String boundary, JsonNode parts) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (JsonNode p : parts) {
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.get("name").asText() + "\"; filename=\""
                    + p.get("filename").asText() + "\"\r\nContent-Type: " + p.get("content_type").asText() + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(p.has("json") ? JSON.writeValueAsBytes(p.get("json")) : Files.readAllBytes(srpm(p.get("filename").asText())));
            out.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}

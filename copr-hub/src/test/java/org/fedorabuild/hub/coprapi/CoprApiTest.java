package org.fedorabuild.hub.coprapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.namespace.CoprName;
import org.fedorabuild.hub.namespace.ProjectSettings.Input;
import org.fedorabuild.hub.testing.CoprSeed;
import org.fedorabuild.hub.testing.TestHub;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API v3 beyond the recorded copr-cli calls: Copr's error shapes for hostile or unsupported input, edits through the
 * shared self-service logic, delete-build (Koji builds DELETED, files gone), paging, and the dnf copr repo route.
 */
class CoprApiTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path tmp;
    static TestHub hub;
    static String alice;
    static String bob;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void seed() throws Exception {
        hub = TestHub.start(PG.dataSource(), "DataDir = " + tmp.resolve("data") + "\nPublicURL = https://copr.example.org\n");
        var s = hub.services;
        int a = s.db.tx(() -> s.users.create("alice", Users.NORMAL));
        int b = s.db.tx(() -> s.users.create("bob", Users.NORMAL));
        s.db.tx(() -> {
            int g = s.users.create("@team", Users.GROUP);
            s.users.addMember(g, a);
            return null;
        });
        alice = s.db.tx(() -> s.tokens.create(a, null));
        bob = s.db.tx(() -> s.tokens.create(b, null));
        s.selfService.create(a, CoprName.parse("alice/demo"), Input.empty().withChroots(List.of("fedora-40-x86_64", "fedora-rawhide-x86_64",
                "epel-9-x86_64")));
        s.selfService.create(a, CoprName.parse("@team/tools"), Input.empty().withChroots(List.of("fedora-41-aarch64")));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    record Res(int status, JsonNode json, String text, HttpResponse<String> raw) {
    }

    static Res call(String method, String path, String user, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.server.port() + path));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8)));
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode j = null;
        try {
            j = JSON.readTree(r.body());
        } catch (Exception notJson) {
            // the dnf route answers text
        }
        return new Res(r.statusCode(), j, r.body(), r);
    }

    static void error(Res r, int status, String contains) {
        assertEquals(status, r.status(), r.text());
        assertTrue(r.json().get("error").asText().contains(contains), r.text());
    }

    @Test
    void refusalsAreCoprErrors() throws Exception {
        error(call("GET", "/api_3/nothing/here", null, null, null), 404, "Such API endpoint doesn't exist");
        Res login = call("POST", "/api_3/project/add/alice", "alice", "coprhub-wrong", "{\"name\": \"x\", \"chroots\": [\"fedora-40-x86_64\"]}");
        error(login, 401, "Login invalid/expired. Please visit https://copr.example.org/api");
        assertEquals("notok", login.json().get("output").asText());
        error(call("POST", "/api_3/project/add/alice", null, null, "{\"name\": \"x\"}"), 401, "Login invalid");
        error(call("POST", "/api_3/project/add/alice", "alice", alice, "{not json"), 400, "not valid JSON");
        error(call("POST", "/api_3/project/add/alice", "alice", alice, "[1, 2]"), 400, "must be a JSON object");
        error(call("POST", "/api_3/project/add/alice", "alice", alice, "{\"name\": \"m\", \"chroots\": [\"fedora-40-x86_64\"],"
                + " \"multilib\": true}"), 400, "multilib: copr-hub does not support multilib = 'true'");
        error(call("POST", "/api_3/project/add/alice", "alice", alice, "{\"name\": \"r\", \"chroots\": [\"fedora-40-x86_64\"],"
                + " \"additional_repos\": [\"file:///etc/shadow\"]}"), 400, "'file:///etc/shadow'");
        error(call("POST", "/api_3/project/add/bob", "alice", alice, "{\"name\": \"b\", \"chroots\": [\"fedora-40-x86_64\"]}"), 403,
                "may not create projects under 'bob'");
        error(call("GET", "/api_3/project?ownername=alice&projectname=..%2F..%2Fetc", null, null, null), 400, "invalid project name");
        error(call("GET", "/api_3/build/list?ownername=alice&projectname=demo&limit=abc", null, null, null), 400, "limit: expected a number");
        error(call("POST", "/api_3/build/create/pypi", "alice", alice, "{}"), 400, "PyPI");
        error(call("POST", "/api_3/package/add/alice/demo/local/scm", "alice", alice, "{\"clone_url\": \"file:///srv/git/x\"}"), 400,
                "SCM scheme 'git+file' is not allowed here");
        error(call("POST", "/api_3/package/add/alice/demo/x/pypi", "alice", alice, "{}"), 400, "got 'pypi'");
        error(call("POST", "/api_3/build/check-before-build", "alice", alice,
                "{\"ownername\": \"alice\", \"projectname\": \"demo\", \"chroots\": [\"fedora-1-x86_64\"]}"), 400, "Unexpected chroot: fedora-1-x86_64");
        error(call("POST", "/api_3/build/check-before-build", "alice", alice,
                "{\"ownername\": \"alice\", \"projectname\": \"demo\", \"after_build_id\": 5}"), 400, "after_build_id");
        assertFalse(hub.services.selfService.find(CoprName.parse("alice/m")).isPresent(), "a refused create changes nothing");
    }

    @Test
    void editsGoThroughTheSharedSelfServiceLogic() throws Exception {
        Res add = call("POST", "/api_3/project/add/alice?ownername=alice&exist_ok=False", "alice", alice, "{\"name\": \"edited\","
                + " \"chroots\": [\"fedora-40-x86_64\"], \"description\": \"d\", \"additional_repos\": [\"https://r.example/x/\"],"
                + " \"enable_net\": false, \"unlisted_on_hp\": null, \"bootstrap\": \"default\", \"persistent\": false}");
        assertEquals(200, add.status(), add.text());
        assertEquals("alice/edited", add.json().get("full_name").asText());
        assertEquals("https://copr.example.org/results/alice/edited/fedora-40-x86_64/", add.json().at("/chroot_repos/fedora-40-x86_64").asText());
        Res edit = call("PUT", "/api_3/project/edit/alice/edited", "alice", alice, "{\"chroots\": [\"fedora-41-x86_64\"], \"description\": null,"
                + " \"repos\": [], \"enable_net\": true, \"unlisted_on_hp\": true}");
        assertEquals(200, edit.status(), edit.text());
        assertEquals("d", edit.json().get("description").asText(), "null keeps the description");
        assertTrue(edit.json().get("enable_net").asBoolean() && edit.json().get("unlisted_on_hp").asBoolean());
        assertEquals(0, edit.json().get("additional_repos").size());
        assertEquals(List.of("fedora-41-x86_64"), hub.services.selfService.require(CoprName.parse("alice/edited")).chroots());
        error(call("PUT", "/api_3/project/edit/alice/edited", "bob", bob, "{\"description\": \"mine\"}"), 403, "is not an admin");
        Res chroot = call("PUT", "/api_3/project-chroot/edit/alice/edited/fedora-41-x86_64", "alice", alice,
                "{\"additional_packages\": [\"gcc\", \"make\"], \"additional_repos\": [\"https://chroot.example/r/\"], \"with_opts\": null}");
        assertEquals(200, chroot.status(), chroot.text());
        assertEquals("[\"gcc\",\"make\"]", chroot.json().get("additional_packages").toString());
        int tag = (Integer) hub.services.db.scalar("SELECT id FROM tags WHERE name = 'alice/edited/fedora-41-x86_64'").orElseThrow();
        assertTrue(new org.fedorabuild.hub.chain.Buildroots(hub.services.db, hub.services.results.storageRoot(), "https://copr.example.org")
                .forChrootTag(tag, java.util.Map.of()).repoUrls().contains("https://chroot.example/r/"), "the builder adds the chroot's repos");
        Res config = call("GET", "/api_3/project-chroot/build-config?ownername=alice&projectname=edited&chrootname=fedora-41-x86_64", null, null, null);
        assertEquals("https://copr.example.org/results/alice/edited/fedora-41-x86_64/", config.json().at("/repos/0/baseurl").asText());
        assertTrue(config.json().get("enable_net").asBoolean());
        // unlisted: in the owner's list (as in Copr), not in search
        assertTrue(call("GET", "/api_3/project/list?ownername=alice", null, null, null).text().contains("\"edited\""));
        assertFalse(call("GET", "/api_3/project/search?query=edit", null, null, null).text().contains("\"edited\""));
        assertTrue(call("GET", "/api_3/project/search?query=DEM", null, null, null).text().contains("\"alice/demo\""));
        Res del = call("DELETE", "/api_3/project/delete/alice/edited", "alice", alice, "{\"verify\": true}");
        assertEquals("edited", del.json().get("name").asText());
        error(call("GET", "/api_3/project?ownername=alice&projectname=edited", null, null, null), 404, "Project alice/edited does not exist.");
    }

    @Test
    void deleteBuildRemovesItsResultsAndItsKojiBuilds() throws Exception {
        int id = CoprSeed.succeededBuild(hub.services, "alice/demo", "gone", "1.0", "1");
        int other = CoprSeed.succeededBuild(hub.services, "alice/demo", "stays", "1.0", "1");
        Path dir = hub.services.results.storageRoot().resolve(String.format("alice/demo/fedora-40-x86_64/%08d-gone", id));
        assertTrue(Files.isDirectory(dir));
        Res list = call("GET", "/api_3/build/list?ownername=alice&projectname=demo&limit=1&offset=1", null, null, null);
        assertEquals(1, list.json().get("items").size(), list.text());
        assertEquals(1, list.json().at("/meta/offset").asInt());
        error(call("DELETE", "/api_3/build/delete/list", "bob", bob, "{\"builds\": [" + id + "]}"), 403, "may not delete build " + id);
        Res del = call("DELETE", "/api_3/build/delete/list", "alice", alice, "{\"builds\": [" + id + "]}");
        assertEquals("[" + id + "]", del.json().get("builds").toString(), del.text());
        error(call("GET", "/api_3/build/" + id, null, null, null), 404, "Build " + id + " does not exist.");
        assertEquals(List.of(2L), hub.services.db.query("SELECT DISTINCT state::bigint AS s FROM builds WHERE task_id = ?", id).stream()
                .map(r -> r.get("s")).toList(), "its Koji builds are DELETED");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Files.exists(dir) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(Files.exists(dir), "results folder removed after the commit");
        assertEquals("succeeded", call("GET", "/api_3/build/" + other, null, null, null).json().get("state").asText());
        error(call("PUT", "/api_3/build/cancel/" + other, "alice", alice, null), 409, "Cannot cancel build " + other);
    }

    @Test
    void dnfCoprEnableGetsTheChrootsRepoFile() throws Exception {
        Res repo = call("GET", "/coprs/alice/demo/repo/fedora-40/dnf.repo?arch=x86_64", null, null, null);
        assertEquals(200, repo.status(), repo.text());
        assertTrue(repo.text().startsWith("[copr:copr.example.org:alice:demo]\nname=Copr repo for demo owned by alice\n"
                + "baseurl=https://copr.example.org/results/alice/demo/fedora-$releasever-$basearch/\n"), repo.text());
        assertTrue(repo.text().contains("\nenabled=1\n") && repo.text().contains("\ngpgcheck=0\n"), repo.text());
        assertTrue(call("GET", "/coprs/alice/demo/repo/epel-9/x.repo?arch=x86_64", null, null, null).text()
                .contains("baseurl=https://copr.example.org/results/alice/demo/epel-9-$basearch/"));
        Res group = call("GET", "/coprs/g/team/tools/repo/fedora-41/dnf.repo?arch=aarch64", null, null, null);
        assertTrue(group.text().startsWith("[copr:copr.example.org:group_team:tools]\nname=Copr repo for tools owned by @team\n"), group.text());
        assertEquals(group.text(), call("GET", "/coprs/@team/tools/repo/fedora-41/dnf.repo?arch=aarch64", null, null, null).text());
        Res missing = call("GET", "/coprs/alice/demo/repo/fedora-42/dnf.repo?arch=x86_64", null, null, null);
        assertEquals(404, missing.status());
        String data = new String(Base64.getDecoder().decode(missing.raw().headers().firstValue("Copr-Error-Data").orElseThrow()),
                StandardCharsets.UTF_8);
        assertEquals("{\"available chroots\":[\"epel-9-x86_64\",\"fedora-40-x86_64\",\"fedora-rawhide-x86_64\"]}", data);
        Res noProject = call("GET", "/coprs/alice/nope/repo/fedora-40/dnf.repo", null, null, null);
        assertEquals(404, noProject.status());
        assertTrue(noProject.raw().headers().firstValue("Copr-Error-Data").isEmpty(), "dnf then says the project does not exist");
        // other /coprs/ paths are the web pages' (once the web UI is merged, the project page; before, a 404)
        Res page = call("GET", "/coprs/alice/demo/", null, null, null);
        assertTrue(page.status() == 404 || page.text().contains("<!DOCTYPE html>"), page.text());
    }
}

package org.fedorabuild.hub.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.fedorabuild.hub.namespace.CoprName;
import org.fedorabuild.hub.testing.Browser;
import org.fedorabuild.hub.testing.TestHub;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/** The web framework: layout, static files, headers, error pages, the dnf .repo path left alone, in a real browser. */
class WebSkeletonTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    static TestHub hub;
    static Browser browser;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() {
        hub = TestHub.start(PG.dataSource());
        hub.services.db.tx(() -> {
            int alice = hub.services.users.create("alice", org.fedorabuild.hub.auth.Users.NORMAL);
            hub.services.projects.create(CoprName.parse("alice/hello"), List.of("fedora-40-x86_64"), "<b>bold</b> & <script>alert(1)</script>");
            hub.services.users.create("@tools", org.fedorabuild.hub.auth.Users.GROUP);
            hub.services.projects.create(CoprName.parse("@tools/kit"), List.of("epel-9-x86_64"), "group project");
            return alice;
        });
        browser = new Browser(base());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    static String base() {
        return "http://127.0.0.1:" + hub.server.port();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void projectListRendersWithHtmxAndStylesAndNoConsoleErrors() throws Exception {
        browser.open("/coprs/");
        assertEquals("Projects · copr-hub", browser.title());
        assertTrue(browser.text().contains("alice/hello"));
        // the description is text, not markup: no <b>, no script element from it
        assertTrue(browser.text().contains("<b>bold</b> & <script>alert(1)</script>"), browser.text());
        assertTrue(browser.all(By.cssSelector("main b")).isEmpty());
        Object version = ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript("return window.htmx && htmx.version");
        assertEquals("2.0.10", version);
        Object color = ((org.openqa.selenium.JavascriptExecutor) browser.driver)
                .executeScript("return getComputedStyle(document.querySelector('header')).backgroundColor");
        assertEquals("rgb(32, 35, 42)", color);
        browser.screenshot("skeleton-projects", Browser.DESKTOP);
    }

    @Test
    void pagesCarryTheSecurityHeaders() throws Exception {
        HttpResponse<String> r = get("/coprs/");
        assertEquals(200, r.statusCode());
        String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals(200, get("/webjars/htmx.org/2.0.10/dist/htmx.min.js").statusCode());
        assertEquals(200, get("/static/hub.css").statusCode());
        assertTrue(get("/webjars/htmx.org/2.0.10/dist/").statusCode() >= 400);
    }

    @Test
    void unknownPathsAndBadParametersAnswerErrorPagesWithoutTraces() throws Exception {
        HttpResponse<String> nf = get("/coprs/nobody/nothing/nowhere/at/all");
        assertEquals(404, nf.statusCode());
        assertTrue(nf.body().contains("404 Not found") && nf.body().contains("<nav"), nf.body());
        HttpResponse<String> bad = get("/coprs/?page=x%3Cy");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("bad page &#39;x&lt;y&#39;") || bad.body().contains("bad page 'x&lt;y'"), bad.body());
        assertFalse(bad.body().contains("Exception") || bad.body().contains("at org."), bad.body());
        browser.openError("/koji/nothing-here", 404);
        assertTrue(browser.text().contains("404 Not found"));
    }

    @Test
    void trailingSlashRedirectsAndRootGoesToProjects() throws Exception {
        assertEquals("/coprs/", get("/").headers().firstValue("Location").orElseThrow());
        HttpResponse<String> r = get("/coprs?page=1");
        assertEquals(301, r.statusCode());
        assertEquals("/coprs/?page=1", r.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void groupProjectsLiveUnderCoprsG() throws Exception {
        HttpResponse<String> r = get("/coprs/g/tools/kit/");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("@tools/kit") && r.body().contains("href=\"/coprs/g/tools/kit/builds/\""), r.body());
        assertTrue(r.body().contains("/coprs/g/tools/kit/repo/epel-9/group_tools-kit-epel-9.repo"), r.body());
        assertTrue(get("/coprs/g/tools/").body().contains("href=\"/coprs/g/tools/kit/\""));
        assertEquals(200, get("/coprs/g/tools/kit/monitor/").statusCode());
        // the group's project is not the user-form URL, and a user named like the group has no such project
        assertEquals(404, get("/coprs/tools/kit/").statusCode());
        assertEquals(404, get("/coprs/g/").statusCode(), "a user named g has no page here");
    }

    @Test
    void theDnfRepoFilePathIsLeftToTheNextHandler() throws Exception {
        // the Copr API's handler serves it (or answers its own 404): never the pages' error page
        for (String p : List.of("/coprs/alice/hello/repo/fedora-40/alice-hello-fedora-40.repo",
                "/coprs/g/tools/kit/repo/epel-9/group_tools-kit-epel-9.repo")) {
            HttpResponse<String> r = get(p);
            assertFalse(r.body().contains("<nav"), p + ": " + r.body());
            assertTrue(Web.DNF_REPO_FILE.matcher(p).matches(), p);
        }
        // and a project page of a project named "repo" is still a page
        assertFalse(Web.DNF_REPO_FILE.matcher("/coprs/alice/repo/builds/").matches());
        assertFalse(Web.DNF_REPO_FILE.matcher("/coprs/g/tools/repo/builds/").matches());
    }
}

package org.fedorabuild.hub.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.hub.testing.Browser;
import org.fedorabuild.hub.testing.BuildHub;
import org.fedorabuild.hub.testing.TinyPackages;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The pages in a real browser over real builds: a build made through the hub's API (compat KojiClient, as the
 * koji CLI) followed by clicking links; a running build's page turning to finished without a reload while its
 * log tails live; a log line holding markup shown as text; no console errors on any page.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebBrowserTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path tmp;
    static BuildHub hub;
    static Browser browser;
    static String token;
    static int doneTask;
    static final String CHROOT = "fedora-40-" + BuildHub.arch();
    static final String MARKUP = "<img src=x onerror=window.pwned=1><script>window.pwned=2</script><b>bold</b>";

    @BeforeAll
    static void start() throws Exception {
        hub = BuildHub.start(PG.dataSource(), tmp.resolve("data"), "", 2);
        token = hub.user("alice", false);
        hub.project("alice/hello", CHROOT);
        browser = new Browser(hub.baseUrl());
        try (KojiClient k = hub.login("alice", token)) {
            doneTask = hub.build(k, TinyPackages.srpm(tmp, "tiny-web", "1.0", 0), "alice/hello", Map.of());
            assertEquals(2, ((Number) hub.await(k, doneTask, Duration.ofSeconds(120)).get("state")).intValue());
        }
        assertTrue(hub.awaitInRepo("alice/hello", CHROOT, "tiny-web-1.0-1.fc40.noarch").contains("tiny-web-1.0-1.fc40.noarch"));
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

    @Test
    @Order(1)
    void aBuildIsFollowedFromTaskinfoByClickingLinks() {
        browser.open("/koji/taskinfo?taskID=" + doneTask);
        assertTrue(browser.text().contains("Task " + doneTask + ": build"), browser.text());
        assertEquals("closed", browser.find(By.id("task-state")).getText());
        // the Koji build of the chroot, then its log
        browser.click("tiny-web-1.0-1.fc40");
        assertTrue(browser.title().startsWith("tiny-web-1.0-1.fc40"), browser.title());
        assertTrue(browser.text().contains("tiny-web-1.0-1.fc40.noarch.rpm"), browser.text());
        browser.click("build.log");
        assertTrue(browser.driver.getCurrentUrl().contains("/koji/getfile?taskID="), browser.driver.getCurrentUrl());
        assertTrue(browser.text().contains("tiny-web"), "the build log names the package");
        browser.driver.navigate().back();
        // the project page, its monitor, the build page from the monitor's cell, and the .repo file
        browser.click("project alice/hello");
        assertEquals("alice/hello · copr-hub", browser.title());
        browser.click("Monitor");
        assertTrue(browser.text().contains("tiny-web"), browser.text());
        browser.click("succeeded");
        assertTrue(browser.driver.getCurrentUrl().endsWith("/coprs/alice/hello/build/" + doneTask + "/"), browser.driver.getCurrentUrl());
        assertEquals("succeeded", browser.find(By.id("build-state")).getText());
        browser.click("Overview");
        browser.click("alice-hello.repo");
        assertTrue(browser.text().contains("baseurl=") && browser.text().contains("/results/alice/hello/fedora-"), browser.text());
        // the chroot's Copr-style .repo link, as the dnf copr plugin fetches it (served by the Copr API's handler)
        browser.driver.navigate().back();
        browser.click("fedora-40.repo");
        assertTrue(browser.text().contains("baseurl=") && browser.text().contains("/results/alice/hello/"), browser.text());
    }

    @Test
    @Order(2)
    void aRunningBuildTurnsFinishedWithoutReloadAndItsLogTailsAsText() throws Exception {
        // it needs the project's first build, so its buildroot record names a package of the project repository
        String spec = TinyPackages.spec("tiny-slow", "1.0", 0, List.of("tiny-web"), List.of())
                .replace("%build\n", "%build\necho '" + MARKUP + "'\nsleep 6\n");
        int task;
        try (KojiClient k = hub.login("alice", token)) {
            task = hub.build(k, TinyPackages.srpm(tmp, "tiny-slow", spec), "alice/hello", Map.of());
        }
        browser.open("/coprs/alice/hello/build/" + task + "/");
        String first = browser.find(By.id("build-state")).getText();
        assertTrue(first.equals("pending") || first.equals("running"), first);
        JavascriptExecutor js = (JavascriptExecutor) browser.driver;
        js.executeScript("window.sameDocument = 42");
        // the live log shows the markup line as text while the build still runs
        browser.waitFor(d -> d.findElement(By.cssSelector("pre.log")).getText().contains(MARKUP) ? true : null, Duration.ofSeconds(60));
        assertTrue(browser.all(By.cssSelector("pre.log img, pre.log b, pre.log script")).isEmpty(), "log markup became elements");
        browser.screenshot("build-running", Browser.DESKTOP);
        browser.waitFor(d -> "succeeded".equals(d.findElement(By.id("build-state")).getText()) ? true : null, Duration.ofSeconds(90));
        assertEquals(42L, js.executeScript("return window.sameDocument"), "the page was reloaded");
        assertNull(js.executeScript("return window.pwned"), "markup from the log ran");
        browser.waitFor(d -> d.findElement(By.cssSelector("pre.log")).getText().contains("[end of log") ? true : null,
                Duration.ofSeconds(30));
        browser.assertCleanConsole();
        // the finished build's page lists its buildroot: what was installed and from where
        browser.open("/coprs/alice/hello/build/" + task + "/");
        assertEquals("Buildroots", browser.find(By.id("buildroots")).getText());
        List<String> rows = browser.all(By.cssSelector("table.buildroot tbody tr")).stream().map(e -> e.getText()).toList();
        assertTrue(rows.stream().anyMatch(r -> r.startsWith("tiny-web-1.0-1.fc40 noarch project repository alice/hello/" + CHROOT)),
                rows.toString());
        js.executeScript("document.getElementById('buildroots').scrollIntoView()");
        browser.screenshot("build-buildroot", Browser.DESKTOP);
        browser.open("/koji/taskinfo?taskID=" + task);
        assertEquals("closed", browser.find(By.id("task-state")).getText());
    }

    @Test
    @Order(3)
    void everyMainPageRendersWithoutConsoleErrorsAtDesktopAndPhoneWidth() throws Exception {
        int build = ((Number) hub.hub.services.db.scalar("SELECT min(id) FROM builds").orElseThrow()).intValue();
        int arch = ((Number) hub.hub.services.db.scalar("SELECT min(id) FROM tasks WHERE parent = ?", doneTask).orElseThrow()).intValue();
        int host = ((Number) hub.hub.services.db.scalar("SELECT min(id) FROM hosts").orElseThrow()).intValue();
        int pkg = ((Number) hub.hub.services.db.scalar("SELECT min(id) FROM packages").orElseThrow()).intValue();
        int user = ((Number) hub.hub.services.db.scalar("SELECT id FROM users WHERE name = 'alice'").orElseThrow()).intValue();
        int tag = ((Number) hub.hub.services.db.scalar("SELECT min(id) FROM tags").orElseThrow()).intValue();
        Map<String, String> pages = new java.util.LinkedHashMap<>();
        pages.put("copr-projects", "/coprs/");
        pages.put("copr-owner", "/coprs/alice/");
        pages.put("copr-project", "/coprs/alice/hello/");
        pages.put("copr-builds", "/coprs/alice/hello/builds/");
        pages.put("copr-build", "/coprs/alice/hello/build/" + doneTask + "/");
        pages.put("copr-packages", "/coprs/alice/hello/packages/");
        pages.put("copr-package", "/coprs/alice/hello/package/tiny-web/");
        pages.put("copr-monitor", "/coprs/alice/hello/monitor/");
        pages.put("koji-index", "/koji/");
        pages.put("koji-taskinfo", "/koji/taskinfo?taskID=" + doneTask);
        pages.put("koji-taskinfo-arch", "/koji/taskinfo?taskID=" + arch);
        pages.put("koji-buildinfo", "/koji/buildinfo?buildID=" + build);
        pages.put("koji-builds", "/koji/builds");
        pages.put("koji-tasks", "/koji/tasks?state=all&view=toplevel");
        pages.put("koji-hosts", "/koji/hosts");
        pages.put("koji-hostinfo", "/koji/hostinfo?hostID=" + host);
        pages.put("koji-packageinfo", "/koji/packageinfo?packageID=" + pkg);
        pages.put("koji-userinfo", "/koji/userinfo?userID=" + user);
        pages.put("koji-taginfo", "/koji/taginfo?tagID=" + tag);
        pages.put("koji-search", "/koji/search?terms=tiny*&type=package");
        pages.put("koji-watchlogs", "/koji/watchlogs?taskID=" + doneTask);
        pages.put("status", "/status/");
        for (var e : pages.entrySet()) {
            browser.open(e.getValue());
            assertTrue(browser.all(By.cssSelector("header nav")).size() == 1, e.getValue());
            browser.screenshot(e.getKey(), Browser.DESKTOP);
            browser.screenshot(e.getKey() + "-phone", Browser.PHONE);
            browser.assertCleanConsole();
        }
        browser.open("/koji/getfile?taskID=" + arch + "&name=build.log");
        assertTrue(browser.text().contains("tiny-web"));
        // an ended task's log is in the page at once, ending with where the whole file is
        browser.open("/koji/watchlogs?taskID=" + doneTask);
        assertTrue(browser.find(By.cssSelector("pre.log")).getText().contains("[end of log: build.log"), browser.text());
    }

    @Test
    @Order(4)
    void unknownIdsAre404AndBadParametersAre400() {
        for (String p : List.of("/koji/taskinfo?taskID=999999", "/koji/buildinfo?buildID=999999", "/koji/hostinfo?hostID=999999",
                "/koji/packageinfo?packageID=999999", "/koji/userinfo?userID=999999", "/koji/taginfo?tagID=999999",
                "/coprs/alice/nothing/", "/coprs/nobody/", "/coprs/alice/hello/build/999999/", "/coprs/alice/hello/package/none/",
                "/koji/getfile?taskID=" + doneTask + "&name=missing.log", "/coprs/g/nogroup/x/builds/")) {
            browser.openError(p, 404);
            assertTrue(browser.text().contains("404 Not found"), p + ": " + browser.text());
        }
        for (String p : List.of("/koji/taskinfo?taskID=abc", "/koji/taskinfo", "/koji/tasks?state=bogus", "/koji/builds?page=0",
                "/koji/search?terms=x&type=secrets", "/koji/getfile?taskID=" + doneTask + "&name=../../etc/passwd",
                "/coprs/alice/hello/build/x/")) {
            browser.openError(p, 400);
            assertTrue(browser.text().contains("400 Bad request"), p + ": " + browser.text());
            assertTrue(!browser.text().contains("Exception") && !browser.text().contains("at org."), browser.text());
        }
    }
}

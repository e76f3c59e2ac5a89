package org.fedorabuild.hub.web.self;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.hub.testing.Browser;
import org.fedorabuild.hub.testing.BuildHub;
import org.fedorabuild.hub.testing.FileServer;
import org.fedorabuild.hub.testing.TinyPackages;
import org.fedorabuild.hub.testing.WebClient;
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
import org.openqa.selenium.WebElement;

/**
 * A contributor in a real browser (Debian's headless Chromium): signs up, makes a project with a build repo,
 * builds SRPM URLs served in reverse dependency order as one chain, uploads an SRPM, builds from a local git
 * repository, makes an API token and uses it (with the project's KojiClient), revokes it; cross-site and
 * other users' posts are refused and change nothing. Real rpmbuild, the local builder, real HTTP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebSelfServiceTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path tmp;
    static BuildHub hub;
    static Browser browser;
    static FileServer www;
    static final String CHROOT = "fedora-40-" + BuildHub.arch();
    static final String PASSWORD = "correct horse battery";

    @BeforeAll
    static void start() throws Exception {
        hub = BuildHub.start(PG.dataSource(), tmp.resolve("data"), "SourceURLAllowPrivate = yes\n[web]\nSignup = open\n", 2);
        hub.user("bob", false);
        hub.hub.services.db.tx(() -> {
            hub.hub.services.accounts.passwords.set((Integer) hub.hub.services.users.byName("bob").orElseThrow().get("id"), PASSWORD);
            return null;
        });
        Path files = Files.createDirectories(tmp.resolve("www"));
        www = new FileServer(files);
        browser = new Browser(hub.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (www != null) {
            www.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    /**
     * Forgets the console after landing on a page whose status is expected (a 403 of a refused post) or that
     * another part of the web UI serves (the project and build pages).
     */
    static void drain() {
        browser.driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll();
    }

    static void submit(String buttonText) {
        browser.find(By.xpath("//main//button[normalize-space()='" + buttonText + "']")).click();
    }

    static void type(String id, String text) {
        WebElement e = browser.find(By.id(id));
        e.clear();
        e.sendKeys(text);
    }

    static int taskIdFrom(String url, String pattern) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(pattern).matcher(url);
        assertTrue(m.find(), url + " should match " + pattern);
        return Integer.parseInt(m.group(1));
    }

    static String aliceToken;

    @Test
    @Order(1)
    void signUpMakeAProjectAndBuildUrlsServedInReverseDependencyOrderAsOneChain() throws Exception {
        browser.open("/signup");
        type("username", "alice");
        type("password", PASSWORD);
        type("password2", PASSWORD);
        submit("Create account");
        browser.waitFor(d -> d.getCurrentUrl().endsWith("/coprs/alice/") ? true : null, Duration.ofSeconds(10));
        drain();

        browser.open("/coprs/alice/add/");
        type("name", "web");
        type("description", "built from the web <b>form</b>");
        type("repos", www.url("extra-repo/"));
        browser.find(By.cssSelector("input[name=chroots][value='" + CHROOT + "']")).click();
        assertFalse(browser.find(By.id("enable_net")).isSelected(), "network is off by default");
        submit("Create project");
        browser.waitFor(d -> d.getCurrentUrl().endsWith("/coprs/alice/web/") ? true : null, Duration.ofSeconds(10));
        drain();
        var project = hub.hub.services.selfService.require(org.fedorabuild.hub.namespace.CoprName.parse("alice/web"));
        assertEquals(List.of(CHROOT), project.chroots());
        assertEquals(List.of(www.url("extra-repo/")), project.repos());

        // three packages, each needing the previous one to build, served and listed newest-dependent first
        Path dir = tmp.resolve("www");
        Path a = TinyPackages.srpm(tmp, "wc-a", TinyPackages.spec("wc-a", "1.0", 0, List.of(), List.of("wc(a) = 1.0")));
        Path b = TinyPackages.srpm(tmp, "wc-b", TinyPackages.spec("wc-b", "1.0", 0, List.of("wc(a) >= 1.0"), List.of()));
        Path c = TinyPackages.srpm(tmp, "wc-c", TinyPackages.spec("wc-c", "1.0", 0, List.of("wc-b"), List.of()));
        for (Path p : List.of(a, b, c)) {
            Files.copy(p, dir.resolve(p.getFileName()));
        }
        browser.open("/coprs/alice/web/add_build/");
        type("pkgs", String.join("\n", www.url(c.getFileName().toString()), www.url(b.getFileName().toString()),
                www.url(a.getFileName().toString())));
        submit("Build");
        browser.waitFor(d -> d.getCurrentUrl().contains("taskID=") ? true : null, Duration.ofSeconds(10));
        drain();
        int chain = taskIdFrom(browser.driver.getCurrentUrl(), "taskID=(\\d+)");
        Map<String, Object> status = awaitChain(chain);
        assertEquals("DONE", status.get("state"), status.toString());
        assertEquals(3, ((Number) status.get("attempts")).intValue(), "one build attempt per package: " + status);
        assertEquals(0L, hub.hub.services.db.scalar("SELECT count(*) FROM tasks t WHERE t.state = 5 AND (t.parent = ? OR t.parent IN"
                + " (SELECT id FROM tasks WHERE parent = ?))", chain, chain).orElseThrow(), "no failed attempt");
        assertTrue(hub.awaitInRepo("alice/web", CHROOT, "wc-c-1.0-1.fc40.noarch").contains("wc-c-1.0-1.fc40.noarch"));
    }

    static Map<String, Object> awaitChain(int chain) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            Map<String, Object> s = hub.hub.services.chains.coprChainStatus(chain);
            if (!List.of("PLANNING", "BUILDING").contains(s.get("state")) || System.nanoTime() > end) {
                return s;
            }
            Thread.sleep(200);
        }
    }

    @Test
    @Order(2)
    void uploadAnSrpmAndBuildFromALocalGitRepository() throws Exception {
        Path srpm = TinyPackages.srpm(tmp, "wc-up", "1.0", 0);
        browser.open("/coprs/alice/web/add_build_upload/");
        browser.find(By.id("pkgs")).sendKeys(srpm.toString());
        submit("Upload and build");
        browser.waitFor(d -> d.getCurrentUrl().contains("/build/") ? true : null, Duration.ofSeconds(20));
        drain();
        int upload = taskIdFrom(browser.driver.getCurrentUrl(), "/coprs/alice/web/build/(\\d+)/");
        assertEquals(2L, awaitTask(upload), "the uploaded SRPM built");
        // from the finished build's page, its builder resubmits it (the SRPM is copied from the old task)
        browser.open("/coprs/alice/web/build/" + upload + "/");
        browser.find(By.xpath("//button[normalize-space()='Resubmit']")).click();
        browser.waitFor(d -> !d.getCurrentUrl().contains("/build/" + upload + "/") ? true : null, Duration.ofSeconds(20));
        int again = taskIdFrom(browser.driver.getCurrentUrl(), "/coprs/alice/web/build/(\\d+)/");
        assertEquals(2L, awaitTask(again), "the resubmitted build built");

        Path repo = Files.createDirectories(tmp.resolve("git-wc"));
        Files.writeString(repo.resolve("wc-git.spec"), TinyPackages.spec("wc-git", "2.0", 0, List.of(), List.of()));
        TinyPackages.git(repo, "init", "-q");
        TinyPackages.git(repo, "add", ".");
        TinyPackages.git(repo, "commit", "-q", "-m", "wc-git 2.0");
        String commit = TinyPackages.git(repo, "rev-parse", "HEAD");
        browser.open("/coprs/alice/web/add_build_scm/");
        type("clone_url", "file://" + repo);
        type("committish", commit);
        submit("Build");
        browser.waitFor(d -> d.getCurrentUrl().contains("/build/") ? true : null, Duration.ofSeconds(20));
        drain();
        int scm = taskIdFrom(browser.driver.getCurrentUrl(), "/coprs/alice/web/build/(\\d+)/");
        assertEquals(2L, awaitTask(scm), "the git source built");
        assertTrue(hub.awaitInRepo("alice/web", CHROOT, "wc-git-2.0-1.fc40.noarch").contains("wc-git-2.0-1.fc40.noarch"));
    }

    static long awaitTask(int id) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            int state = (Integer) hub.hub.services.db.scalar("SELECT state FROM tasks WHERE id = ?", id).orElseThrow();
            if (state == 2 || state == 3 || state == 5 || System.nanoTime() > end) {
                return state;
            }
            Thread.sleep(200);
        }
    }

    @Test
    @Order(3)
    void anApiTokenIsShownOnceWorksForKojiClientsAndIsRevoked() throws Exception {
        browser.open("/api/");
        type("name", "laptop");
        submit("Create token");
        String token = browser.find(By.id("token")).getAttribute("value");
        assertTrue(token.startsWith("coprhub-"), token);
        // (the koji CLI needs KOJI_SRC here; the project's KojiClient speaks its protocol)
        try (KojiClient k = hub.login("alice", token)) {
            assertEquals("alice", ((Map<?, ?>) k.call("getLoggedInUser")).get("name"));
        }
        browser.open("/api/");
        assertFalse(browser.text().contains(token), "a token is shown only once");
        assertTrue(browser.text().contains("laptop"), browser.text());
        browser.find(By.cssSelector("button[aria-label='Revoke token laptop']")).click();
        browser.waitFor(d -> d.getPageSource().contains("You have no tokens") ? true : null, Duration.ofSeconds(10));
        drain();
        KojiClient k = hub.hub.client();
        assertThrows(KojiFault.AuthError.class, () -> k.login("alice", token));
        k.close();
    }

    @Test
    @Order(4)
    void crossSiteAndOtherUsersPostsAreRefusedAndChangeNothing() throws Exception {
        long tasksBefore = count("SELECT count(*) FROM tasks");
        // a page on another site (localhost is not 127.0.0.1) and on another origin of this site post to the hub
        String target = hub.baseUrl() + "/coprs/alice/add/";
        String evil = "<!DOCTYPE html><html><body><form id=f method=post action='" + target + "'>"
                + "<input name=name value=evil><input name=chroots value='" + CHROOT + "'></form>"
                + "<script>document.getElementById('f').submit()</script></body></html>";
        Files.writeString(tmp.resolve("www").resolve("evil.html"), evil);
        for (String page : List.of(www.url("evil.html").replace("127.0.0.1", "localhost"), www.url("evil.html"))) {
            browser.driver.get(page);
            browser.waitFor(d -> d.getCurrentUrl().startsWith(target) ? true : null, Duration.ofSeconds(10));
        drain();
            assertTrue(browser.text().contains("403"), browser.text());
            drain();
        }
        assertEquals(0L, count("SELECT count(*) FROM projects WHERE name = 'evil'"));

        // bob, signed in with his own session and a valid form token, may not build or edit in alice's project
        try (WebClient bob = new WebClient(hub.baseUrl())) {
            assertEquals(303, bob.signIn("bob", PASSWORD).statusCode());
            assertEquals(403, bob.get("/coprs/alice/web/add_build/").statusCode(), "no form for bob");
            String form = bob.formToken("/api/");
            var post = bob.post("/coprs/alice/web/add_build/", Map.of("csrf_token", form, "pkgs", www.url("wc-up-1.0-1.src.rpm")));
            assertEquals(403, post.statusCode(), post.body());
            assertEquals(403, bob.post("/coprs/alice/web/build/" + firstBuild() + "/resubmit/", Map.of("csrf_token", form)).statusCode());
            assertEquals(403, bob.post("/coprs/alice/web/build/" + firstBuild() + "/cancel/", Map.of("csrf_token", form)).statusCode());
            assertEquals(403, bob.post("/coprs/alice/web/delete/", Map.of("csrf_token", form, "confirm", "alice/web")).statusCode());
            assertEquals(403, bob.post("/coprs/alice/add/", Map.of("csrf_token", form, "name", "bobs", "chroots", CHROOT)).statusCode());
            // without the token, his own action is refused too
            assertEquals(403, bob.post("/api/", Map.of("action", "create", "name", "x")).statusCode());
        }
        assertEquals(tasksBefore, count("SELECT count(*) FROM tasks"), "no task was created");
        assertTrue(hub.hub.services.selfService.find(org.fedorabuild.hub.namespace.CoprName.parse("alice/web")).isPresent());
        assertEquals(0L, count("SELECT count(*) FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.name = 'bob' AND t.name = 'x'"));
    }

    @Test
    @Order(5)
    void badPasswordsAreRefusedThenSlowedDownAndNoOpenRedirect() throws Exception {
        browser.driver.manage().deleteAllCookies();
        browser.open("/login");
        type("username", "bob");
        type("password", "not his password");
        submit("Sign in");
        browser.waitFor(d -> d.getPageSource().contains("Wrong user name or password") ? true : null, Duration.ofSeconds(10));
        drain();
        try (WebClient c = new WebClient(hub.baseUrl())) {
            for (int i = 0; i < 5; i++) {
                assertEquals(401, c.signIn("bob", "wrong " + i).statusCode(), "the first failures are only refused");
            }
            assertEquals(429, c.signIn("bob", "wrong again").statusCode(), "then the account is slowed down");
            var locked = c.signIn("bob", PASSWORD);
            assertEquals(429, locked.statusCode(), "the right password waits too while the account is slowed down");
            assertTrue(locked.headers().firstValue("Retry-After").isPresent());
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            java.net.http.HttpResponse<String> ok;
            do {
                ok = c.signIn("bob", PASSWORD, "//evil.example/steal");
            } while (ok.statusCode() == 429 && System.nanoTime() < end);
            assertEquals(303, ok.statusCode(), "after the wait the right password works");
            assertEquals("/coprs/", ok.headers().firstValue("Location").orElseThrow(), "never redirected off the hub");
            String cookie = ok.headers().allValues("Set-Cookie").stream().filter(s -> s.startsWith("coprhub_session=")).findFirst()
                    .orElseThrow();
            assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Max-Age="), cookie);
        }
    }

    static int firstBuild() {
        return (Integer) hub.hub.services.db.scalar("SELECT min(id) FROM tasks WHERE method = 'build' AND parent IS NULL").orElseThrow();
    }

    static long count(String sql) {
        return ((Number) hub.hub.services.db.scalar(sql).orElseThrow()).longValue();
    }
}

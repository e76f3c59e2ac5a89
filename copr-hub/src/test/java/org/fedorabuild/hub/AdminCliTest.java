package org.fedorabuild.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.cli.CoprHubMain;
import org.fedorabuild.hub.testing.TestHub;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The admin commands, run in-process against the database of a running hub, and their effect as Koji clients see it. */
class AdminCliTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");

    @TempDir
    static Path dir;

    static TestHub hub;
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(PG.dataSource());
        config = Files.writeString(dir.resolve("hub.conf"), "[hub]\nDBUser = " + PG.user() + "\nDBPass = " + PG.password()
                + "\nPublicURL = http://hub.example.org:8080\n");
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    record Run(int code, String out, String err) {
        String lastWord() {
            String[] lines = out.strip().split("\n");
            String[] words = lines[lines.length - 1].strip().split("\\s+");
            return words[words.length - 1];
        }
    }

    static Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString(), "--db-url", PG.jdbcUrl()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CoprHubMain.newCommandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(all.toArray(new String[0]));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void adminCommandsCreateWhatKojiClientsThenSee() throws Exception {
        assertEquals(0, run("user", "add", "alice", "--admin").code());
        assertEquals(0, run("user", "add", "bob").code());
        Run token = run("token", "new", "alice", "--expires", "30");
        assertEquals(0, token.code(), token.err());
        assertTrue(token.lastWord().startsWith("coprhub-"), token.out());
        assertEquals(0, run("group", "add", "@copr", "--member", "alice", "bob").code());
        Run project = run("project", "create", "@copr/tools", "--chroot", "fedora-40-x86_64", "epel-9-aarch64", "--builder", "bob");
        assertEquals(0, project.code(), project.err());
        assertTrue(project.out().contains("@copr/tools/epel-9-aarch64"), project.out());
        Run host = run("host", "add", "builder9", "--arch", "x86_64,i686", "--ssh", "copr@10.0.0.9:2222", "--capacity", "4");
        assertEquals(0, host.code(), host.err());
        try (var k = hub.client()) {
            k.login("alice", token.lastWord());
            assertEquals("alice", ((Map<?, ?>) k.call("getLoggedInUser")).get("name"));
            assertTrue(((List<?>) k.call("getPerms")).contains("admin"));
            Map<?, ?> h = (Map<?, ?>) k.call("getHost", "builder9");
            assertEquals("x86_64 i686", h.get("arches"));
            assertEquals(4.0, h.get("capacity"));
            List<?> targets = (List<?>) k.call("getBuildTargets", (Object) null);
            assertEquals(3, targets.size(), targets.toString());
            Map<?, ?> tag = (Map<?, ?>) k.call("getTag", "@copr/tools");
            assertEquals("x86_64 aarch64", tag.get("arches"));
            Map<?, ?> group = (Map<?, ?>) k.call("getUser", "@copr");
            assertEquals(2L, group.get("usertype"));
        }
        Run profile = run("profile", "--user", "bob");
        assertEquals(0, profile.code(), profile.err());
        assertTrue(profile.out().contains("server = http://hub.example.org:8080/kojihub"), profile.out());
        assertTrue(profile.out().contains("kojiprofile = copr-hub"), profile.out());
        assertTrue(profile.out().contains("\nupload_blocksize = 16777216\n"), profile.out());
        // and a copr-cli config: login = user name, the token only when given (file or $COPR_HUB_TOKEN), http needs encrypted = False
        assertTrue(profile.out().contains("[copr-cli]\nlogin = bob\nusername = bob\n# an API token of bob: copr-hub token new bob\n"
                + "token = TOKEN\ncopr_url = http://hub.example.org:8080\n"), profile.out());
        assertTrue(profile.out().contains("\nencrypted = False\n"), profile.out());
        Run withToken = run("profile", "--user", "bob", "--token-file", Files.writeString(dir.resolve("bob.token"), "coprhub-secret\n")
                .toString());
        assertTrue(withToken.out().contains("\ntoken = coprhub-secret\ncopr_url = http://hub.example.org:8080\n"), withToken.out());
        assertFalse(withToken.err().contains("coprhub-secret"), withToken.err());
    }

    @Test
    void failuresAreOneLineAndAnExitCode() {
        assertEquals(0, run("user", "add", "carol").code());
        Run dup = run("user", "add", "carol");
        assertEquals(1, dup.code());
        assertTrue(dup.err().contains("already exists"), dup.err());
        assertTrue(!dup.err().contains("\tat "), dup.err());
        assertEquals(1, run("project", "create", "nobody/x", "--chroot", "fedora-40-x86_64").code());
        assertEquals(1, run("project", "create", "carol/x", "--chroot", "not a chroot").code());
        assertEquals(2, run("host", "add", "h").code(), "missing required options is a usage error");
        StringWriter err = new StringWriter();
        int code = CoprHubMain.newCommandLine().setErr(new PrintWriter(err, true))
                .execute("user", "add", "dave", "--config", dir.resolve("missing.conf").toString());
        assertEquals(3, code, err.toString());
    }

    @Test
    void theChrootCatalogIsManagedFromTheCommandLine() {
        Run add = run("chroot", "add", "centos-stream-10-x86_64", "fedora-40-x86_64");
        assertEquals(0, add.code(), add.err());
        assertEquals("Offered: centos-stream-10-x86_64", add.out().strip(), "a chroot already offered is not changed");
        assertTrue(run("chroot", "list").out().contains("centos-stream-10-x86_64 x86_64\n"));
        Run disable = run("chroot", "disable", "centos-stream-10-x86_64");
        assertEquals("Disabled: centos-stream-10-x86_64", disable.out().strip(), disable.err());
        assertEquals("Already disabled: centos-stream-10-x86_64", run("chroot", "disable", "centos-stream-10-x86_64").out().strip());
        assertFalse(run("chroot", "list").out().contains("centos-stream-10-x86_64"), "a disabled chroot is not offered");
        assertTrue(run("chroot", "list", "--all").out().contains("centos-stream-10-x86_64 x86_64 disabled\n"));
        Run bad = run("chroot", "add", "not a chroot");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("not a chroot") && !bad.err().contains("\tat "), bad.err());
    }
}

package org.fedorabuild.hub.namespace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.cli.CoprHubMain;
import org.fedorabuild.hub.config.HubConfig;
import org.fedorabuild.hub.config.HubConfigLoader;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.namespace.ProjectSettings.Input;
import org.fedorabuild.hub.namespace.ProjectSettings.View;
import org.fedorabuild.hub.server.HubServices;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Self-service projects on a real database: who may create under which owner, field validation naming the
 * bad value, the chroot catalog (and {@code copr-hub chroot}), modify and delete with the Koji API's roles.
 */
class SelfServiceTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path tmp;
    static HubServices s;
    static SelfService svc;
    static Path config;
    static int alice;
    static int bob;
    static int root;

    @BeforeAll
    static void seed() throws Exception {
        HubConfig c = HubConfigLoader.parse("t.conf", "[hub]\nListen = 127.0.0.1:0\nBootstrapAdmin =\nDataDir = " + tmp.resolve("d") + "\n",
                HubConfigLoader.Overrides.NONE);
        s = new HubServices(new Db(PG.dataSource()), c);
        svc = s.selfService;
        s.db.tx(() -> {
            alice = s.users.create("alice", Users.NORMAL);
            bob = s.users.create("bob", Users.NORMAL);
            root = s.users.create("root1", Users.NORMAL);
            s.users.grant(root, "admin");
            int team = s.users.create("@team", Users.GROUP);
            s.users.addMember(team, alice);
            return null;
        });
        config = Files.writeString(tmp.resolve("hub.conf"), "[hub]\nDBUser = " + PG.user() + "\nDBPass = " + PG.password()
                + "\nDataDir = " + tmp.resolve("d") + "\n");
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    static Input chroots(String... c) {
        return Input.empty().withChroots(List.of(c));
    }

    static ProjectError refused(ProjectError.Kind kind, org.junit.jupiter.api.function.Executable call) {
        ProjectError e = assertThrows(ProjectError.class, call);
        assertEquals(kind, e.kind(), e.getMessage());
        return e;
    }

    @Test
    void ownersGroupsAndAdmins() {
        View p = svc.create(alice, CoprName.parse("alice/tools"), new Input("Some tools", "dnf copr enable ...",
                List.of("fedora-40-x86_64", "fedora-40-aarch64"), List.of("https://repo.example.org/$releasever/", " "), true, true));
        assertEquals(List.of("fedora-40-aarch64", "fedora-40-x86_64"), p.chroots());
        assertEquals(List.of("https://repo.example.org/$releasever/"), p.repos());
        assertTrue(p.enableNet() && p.unlisted());
        assertEquals("Some tools", p.description());
        // the Koji side sees it at once: project and chroot targets
        assertTrue(s.db.queryOne("SELECT 1 FROM build_targets WHERE name = 'alice/tools/fedora-40-x86_64'").isPresent());
        assertEquals("x86_64 aarch64", s.db.scalar("SELECT arches FROM tags WHERE name = 'alice/tools'").orElseThrow().toString()
                .replace("aarch64 x86_64", "x86_64 aarch64"));
        assertTrue(svc.ownedBy("alice", false).stream().noneMatch(v -> v.name().project().equals("tools")), "unlisted is hidden");
        assertTrue(svc.ownedBy("alice", true).stream().anyMatch(v -> v.name().project().equals("tools")));

        assertEquals("@team/shared", svc.create(alice, CoprName.parse("@team/shared"), chroots("fedora-40-x86_64")).name().toString());
        refused(ProjectError.Kind.FORBIDDEN, () -> svc.create(bob, CoprName.parse("@team/b"), chroots("fedora-40-x86_64")));
        assertTrue(refused(ProjectError.Kind.FORBIDDEN, () -> svc.create(bob, CoprName.parse("alice/b"), chroots("fedora-40-x86_64")))
                .getMessage().contains("'bob'"));
        refused(ProjectError.Kind.NOT_FOUND, () -> svc.create(root, CoprName.parse("@nogroup/b"), chroots("fedora-40-x86_64")));
        // hub admins: any owner, any well-formed chroot
        assertEquals(List.of("centos-stream-10-x86_64"), svc.create(root, CoprName.parse("bob/by-admin"),
                chroots("centos-stream-10-x86_64")).chroots());
        assertTrue(refused(ProjectError.Kind.INVALID, () -> svc.create(alice, CoprName.parse("alice/tools"), chroots("fedora-40-x86_64")))
                .getMessage().contains("already has a project named 'tools'"));
    }

    @Test
    void everyFieldIsValidatedNamingTheBadValue() {
        CoprName n = CoprName.parse("alice/valid");
        List<String> ok = List.of("fedora-40-x86_64");
        String[][] cases = {
                {"centos-stream-10-x86_64", null, null, "Unexpected chroot: centos-stream-10-x86_64"},
                {"Fedora 40", null, null, "'Fedora 40'"},
                {null, "file:///etc/passwd", null, "'file:///etc/passwd'"},
                {null, "ftp://mirror/x", null, "'ftp://mirror/x'"},
                {null, "http://a b/", null, "'http://a"},
                {null, "https://user:pw@host/x", null, "user:password"},
                {null, "http:///nohost", null, "'http:///nohost'"},
                {null, null, "x".repeat(ProjectRules.MAX_DESCRIPTION + 1), "description: too long (4001 characters, at most 4000)"},
                {null, null, "bell\u0007", "control character"},
        };
        for (String[] c : cases) {
            Input in = new Input(c[2], null, c[0] == null ? ok : List.of(c[0]), c[1] == null ? null : List.of(c[1]), null, null);
            ProjectError e = refused(ProjectError.Kind.INVALID, () -> svc.create(alice, n, in));
            assertTrue(e.getMessage().contains(c[3]), e.getMessage() + " should contain " + c[3]);
        }
        for (String bad : List.of("12345", "..", "a/b", "x".repeat(101), "")) {
            ProjectError e = refused(ProjectError.Kind.INVALID, () -> svc.create(alice, SelfService.name("alice", bad), chroots("fedora-40-x86_64")));
            assertTrue(e.getMessage().startsWith("name: "), e.getMessage());
        }
        refused(ProjectError.Kind.INVALID, () -> SelfService.name("../etc", "x"));
        refused(ProjectError.Kind.INVALID, () -> svc.create(alice, n, chroots()));
        assertTrue(svc.find(n).isEmpty(), "nothing was created by a refused request");
    }

    @Test
    void modifyChrootsExtrasAndDelete() throws Exception {
        CoprName n = CoprName.parse("alice/mod");
        svc.create(alice, n, new Input("d", null, List.of("fedora-40-x86_64", "fedora-41-x86_64"), null, null, null));
        refused(ProjectError.Kind.FORBIDDEN, () -> svc.modify(bob, n, new Input("mine now", null, null, null, null, null)));
        s.db.tx(() -> {
            s.projects.grant(s.projects.find(n).orElseThrow(), bob, "builder");
            return null;
        });
        refused(ProjectError.Kind.FORBIDDEN, () -> svc.modify(bob, n, new Input("mine now", null, null, null, null, null)));
        refused(ProjectError.Kind.FORBIDDEN, () -> svc.delete(bob, n, false));
        s.db.tx(() -> {
            s.projects.grant(s.projects.find(n).orElseThrow(), bob, "admin");
            return null;
        });
        View v = svc.modify(bob, n, new Input(null, "use it", List.of("fedora-41-x86_64", "fedora-42-aarch64"),
                List.of("http://r.example/x/"), true, null));
        assertEquals("d", v.description(), "unchanged when not given");
        assertEquals("use it", v.instructions());
        assertEquals(List.of("fedora-41-x86_64", "fedora-42-aarch64"), v.chroots());
        assertEquals(Boolean.FALSE, s.db.scalar("SELECT enabled FROM project_chroots pc JOIN projects p ON p.id = pc.project_id"
                + " WHERE p.id = ? AND pc.name = 'fedora-40-x86_64'", v.id()).orElseThrow(), "a dropped chroot is disabled, not erased");
        assertEquals(java.util.Set.of("x86_64", "aarch64"), java.util.Set.of(((String) s.db.scalar(
                "SELECT arches FROM tags WHERE name = 'alice/mod'").orElseThrow()).split(" ")));
        // re-adding a dropped chroot enables it again, even once the catalog no longer offers it
        s.db.tx(() -> svc.catalog().disable(List.of("fedora-41-aarch64")));
        refused(ProjectError.Kind.INVALID, () -> svc.modify(alice, n, chroots("fedora-41-x86_64", "fedora-41-aarch64")));
        assertEquals(List.of("fedora-40-x86_64", "fedora-41-x86_64"), svc.modify(alice, n, chroots("fedora-40-x86_64", "fedora-41-x86_64"))
                .chroots());
        refused(ProjectError.Kind.INVALID, () -> svc.modify(alice, n, chroots()));

        var ch = svc.editChroot(alice, n, "fedora-40-x86_64", List.of("gcc", "pkgconfig(glib-2.0)", "gcc"), List.of("https://x.example/r/"));
        assertEquals(List.of("gcc", "pkgconfig(glib-2.0)"), ch.packages());
        assertEquals(List.of("https://x.example/r/"), svc.chroot(n, "fedora-40-x86_64").repos());
        assertTrue(refused(ProjectError.Kind.INVALID, () -> svc.editChroot(alice, n, "fedora-40-x86_64", List.of("rm -rf"), null))
                .getMessage().contains("'rm -rf'"));
        refused(ProjectError.Kind.NOT_FOUND, () -> svc.editChroot(alice, n, "epel-9-x86_64", List.of(), null));

        svc.delete(alice, n, false);
        assertTrue(svc.find(n).isEmpty());
        refused(ProjectError.Kind.NOT_FOUND, () -> svc.delete(alice, n, false));
        assertEquals(List.of("fedora-40-x86_64"), svc.create(alice, n, chroots("fedora-40-x86_64")).chroots(), "the name is free again");
    }

    @Test
    void chrootCatalogCommands() {
        Run add = cli("chroot", "add", "fedora-43-x86_64", "fedora-43-aarch64");
        assertEquals(0, add.code, add.err);
        assertEquals("Offered: fedora-43-x86_64 fedora-43-aarch64", add.out.trim());
        assertTrue(svc.catalog().isEnabled("fedora-43-aarch64"));
        assertEquals(0, cli("chroot", "disable", "fedora-43-aarch64").code);
        Run list = cli("chroot", "list");
        assertTrue(list.out.contains("fedora-43-x86_64 x86_64\n") && !list.out.contains("fedora-43-aarch64"), list.out);
        assertTrue(cli("chroot", "list", "--all").out.contains("fedora-43-aarch64 aarch64 disabled\n"));
        Run bad = cli("chroot", "add", "Fedora 44");
        assertEquals(1, bad.code);
        assertTrue(bad.err.contains("invalid chroot name 'Fedora 44'"), bad.err);
        Run unknown = cli("chroot", "disable", "fedora-99-x86_64");
        assertEquals(1, unknown.code);
        assertTrue(unknown.err.contains("'fedora-99-x86_64' is not in the catalog"), unknown.err);
        assertEquals(0, cli("chroot", "add", "fedora-43-aarch64").code);
        assertFalse(cli("chroot", "list").out.contains("disabled"));
    }

    record Run(int code, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--config", config.toString(), "--db-url", PG.jdbcUrl())).toArray(String[]::new);
        int code = CoprHubMain.newCommandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(all);
        return new Run(code, out.toString(), err.toString());
    }
}

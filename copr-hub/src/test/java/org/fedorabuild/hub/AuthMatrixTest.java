package org.fedorabuild.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.wire.KojiCall;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.task.TaskPayloads;
import org.fedorabuild.hub.testing.Seed;
import org.fedorabuild.hub.testing.TestHub;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every state-changing hub call against every kind of caller: anonymous, an unrelated user, a builder
 * of the project, an admin of the project, and a hub admin. Allowed calls succeed; refused ones are
 * ActionNotAllowed (1004) worded as Koji words them, and change nothing.
 */
class AuthMatrixTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");

    enum Who { ANONYMOUS, OTHER_USER, PROJECT_BUILDER, PROJECT_ADMIN, HUB_ADMIN }

    static TestHub hub;
    static Seed seed;
    static final Map<Who, KojiClient> CLIENTS = new EnumMap<>(Who.class);
    static final AtomicInteger COUNTER = new AtomicInteger();

    @BeforeAll
    static void start() {
        hub = TestHub.start(PG.dataSource());
        seed = Seed.captureState(hub.services);
        var s = hub.services;
        Map<Who, String> tokens = s.db.tx(() -> {
            int bob = s.users.create("bob", Users.NORMAL);
            int carol = s.users.create("carol", Users.NORMAL);
            s.projects.grant(seed.project, bob, "builder");
            s.projects.grant(seed.project, carol, "admin");
            return Map.of(Who.PROJECT_BUILDER, s.tokens.create(bob, null), Who.PROJECT_ADMIN, s.tokens.create(carol, null));
        });
        CLIENTS.put(Who.ANONYMOUS, hub.client());
        login(Who.OTHER_USER, "kojiuser", seed.userToken);
        login(Who.PROJECT_BUILDER, "bob", tokens.get(Who.PROJECT_BUILDER));
        login(Who.PROJECT_ADMIN, "carol", tokens.get(Who.PROJECT_ADMIN));
        login(Who.HUB_ADMIN, "kojiadmin", seed.adminToken);
    }

    private static void login(Who who, String user, String token) {
        KojiClient k = hub.client();
        k.login(user, token);
        CLIENTS.put(who, k);
    }

    @AfterAll
    static void stop() {
        CLIENTS.values().forEach(KojiClient::close);
        hub.close();
    }

    /** A call, built fresh per cell (its own task, host name, user …), and who may make it. */
    record Case(String method, Function<Integer, KojiCall> call, Set<Who> allowed) {
        @Override
        public String toString() {
            return method;
        }
    }

    static int newTask(int state) {
        var s = hub.services;
        return s.db.tx(() -> {
            int admin = (Integer) s.users.byName("kojiadmin").orElseThrow().get("id");
            int id = s.tasks.create(admin, "sleep", "noarch", 20, TaskPayloads.encodeRequest("sleep", List.of(1), Map.of()),
                    null, null, null);
            s.db.update("UPDATE tasks SET state = ? WHERE id = ?", state, id);
            return id;
        });
    }

    static int newUser(String perm) {
        var s = hub.services;
        return s.db.tx(() -> {
            int id = s.users.create("u" + COUNTER.incrementAndGet(), Users.NORMAL);
            if (perm != null) {
                s.users.grant(id, perm);
            }
            return id;
        });
    }

    static void listed(String pkg, boolean blocked) {
        var s = hub.services;
        s.db.tx(() -> s.db.update("INSERT INTO packages (name) VALUES (?) ON CONFLICT DO NOTHING", pkg)
                + s.db.update("INSERT INTO tag_packages (tag_id, package_id, owner_id, blocked) SELECT ?, id, 1, ? FROM packages"
                        + " WHERE name = ? ON CONFLICT (tag_id, package_id) DO UPDATE SET blocked = EXCLUDED.blocked",
                        seed.project.tagId(), blocked, pkg));
    }

    static Stream<Arguments> cells() {
        Set<Who> admin = Set.of(Who.HUB_ADMIN);
        Set<Who> projectAdmins = Set.of(Who.PROJECT_ADMIN, Who.HUB_ADMIN);
        Set<Who> builders = Set.of(Who.PROJECT_BUILDER, Who.PROJECT_ADMIN, Who.HUB_ADMIN);
        List<Case> cases = List.of(
                new Case("freeTask", n -> KojiCall.of("freeTask", newTask(1)), admin),
                new Case("cancelTask", n -> KojiCall.of("cancelTask", newTask(0)), admin),
                new Case("setTaskPriority", n -> KojiCall.of("setTaskPriority", newTask(0), 10), admin),
                new Case("enableHost", n -> KojiCall.of("enableHost", "builder3"), admin),
                new Case("disableHost", n -> KojiCall.of("disableHost", "builder2"), admin),
                new Case("editHost", n -> new KojiCall("editHost", List.of("builder2"), Map.of("comment", "c" + n)), admin),
                new Case("addHost", n -> KojiCall.of("addHost", "newhost" + n, List.of("x86_64")), admin),
                new Case("grantPermission", n -> KojiCall.of("grantPermission", newUser(null), "repo"), admin),
                new Case("revokePermission", n -> KojiCall.of("revokePermission", newUser("repo"), "repo"), admin),
                new Case("packageListAdd", n -> KojiCall.of("packageListAdd", Seed.PROJECT, "pkg" + n), builders),
                new Case("packageListBlock", n -> {
                    listed("pkg" + n, false);
                    return KojiCall.of("packageListBlock", Seed.PROJECT, "pkg" + n);
                }, projectAdmins),
                new Case("packageListUnblock", n -> {
                    listed("pkg" + n, true);
                    return KojiCall.of("packageListUnblock", Seed.PROJECT, "pkg" + n);
                }, projectAdmins),
                new Case("packageListRemove", n -> {
                    listed("pkg" + n, false);
                    return KojiCall.of("packageListRemove", Seed.PROJECT, "pkg" + n);
                }, projectAdmins));
        List<Arguments> out = new ArrayList<>();
        for (Case c : cases) {
            for (Who who : Who.values()) {
                out.add(Arguments.of(c, who));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cells")
    void stateChangingCallChecksWhoIsAsking(Case c, Who who) {
        KojiCall call = c.call().apply(COUNTER.incrementAndGet());
        KojiClient client = CLIENTS.get(who);
        if (c.allowed().contains(who)) {
            client.call(call);
            return;
        }
        String before = snapshot();
        KojiFault f = assertThrows(KojiFault.class, () -> client.call(call));
        assertEquals(1004, f.code(), f.getMessage());
        if (who == Who.ANONYMOUS) {
            assertTrue(f.getMessage().endsWith("(user not logged in)") || f.getMessage().equals("you must be logged in for this operation"),
                    f.getMessage());
        } else {
            assertTrue(f.getMessage().contains("(logged in as ") || f.getMessage().equals("Cannot cancel task, not owner"),
                    f.getMessage());
        }
        assertEquals(before, snapshot(), "a refused call changed nothing");
    }

    /** The mutable state the matrix's calls touch. */
    private static String snapshot() {
        return hub.services.db.tx(() -> String.valueOf(hub.services.db.query(
                "SELECT (SELECT string_agg(id || ':' || state || ':' || priority || ':' || coalesce(host_id, 0), ',' ORDER BY id) FROM tasks),"
                        + " (SELECT string_agg(name || enabled || coalesce(comment, ''), ',' ORDER BY id) FROM hosts),"
                        + " (SELECT count(*) FROM user_perms),"
                        + " (SELECT string_agg(package_id || ':' || blocked, ',' ORDER BY package_id) FROM tag_packages)")));
    }
}

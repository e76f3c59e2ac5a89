package org.fedorabuild.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.config.HubConfig;
import org.fedorabuild.hub.config.HubConfigLoader;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.db.HubDatabase;
import org.fedorabuild.hub.namespace.CoprName;
import org.fedorabuild.hub.testing.Seed;
import org.fedorabuild.hub.testing.TestHub;
import org.fedorabuild.pg.Database;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Stopping and starting the hub on the same database keeps users, tokens, sessions and projects. */
class RestartTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");

    @Test
    void restartedHubKeepsAllData() {
        Seed seed;
        Map<?, ?> sinfo;
        try (TestHub first = TestHub.start(PG.dataSource())) {
            seed = Seed.captureState(first.services);
            try (var k = first.client()) {
                k.login("kojiadmin", seed.adminToken);
                k.call("packageListAdd", Seed.PROJECT, "zsh");
                k.call("disableHost", "builder1");
            }
            sinfo = (Map<?, ?>) TestHub.decode(first.post("/kojihub",
                    SessionTest.call("login", "<string>kojiuser</string>", "<string>" + seed.userToken + "</string>"), Map.of()).body());
        }
        try (TestHub second = TestHub.start(PG.dataSource()); var k = second.client()) {
            assertEquals(Seed.PROJECT, ((Map<?, ?>) ((List<?>) k.call("getBuildTargets", (Object) null)).get(0)).get("name"));
            List<?> pkgs = (List<?>) k.callKw("listPackages", List.of(), Map.of("tagID", Seed.PROJECT));
            assertTrue(pkgs.stream().anyMatch(p -> "zsh".equals(((Map<?, ?>) p).get("package_name"))), pkgs.toString());
            assertEquals(Boolean.FALSE, ((Map<?, ?>) k.call("getHost", "builder1")).get("enabled"));
            assertEquals(2, ((List<?>) k.call("listTasks")).size());
            Map<?, ?> me = (Map<?, ?>) TestHub.decode(second.post("/kojihub", SessionTest.call("getLoggedInUser"),
                    TestHub.sessionHeaders(sinfo, 0)).body());
            assertEquals("kojiuser", me.get("name"), "sessions survive a restart");
            k.login("kojiadmin", seed.adminToken);
        }
    }

    @Test
    void embeddedDefaultDatabaseKeepsDataAcrossStops(@TempDir Path data) {
        HubConfig config = HubConfigLoader.load(null, new HubConfigLoader.Overrides("127.0.0.1:0", data, null));
        assertTrue(config.embeddedDatabase());
        try (Database db = HubDatabase.open(config, "restart-test", 2)) {
            var users = new Users(new Db(db.dataSource()));
            users.create("alice", Users.NORMAL);
            assertTrue(db.embeddedServer().orElseThrow().startedByThisInstance());
        }
        try (Database db = HubDatabase.open(config, "restart-test", 2)) {
            Db d = new Db(db.dataSource());
            assertTrue(new Users(d).byName("alice").isPresent());
            var projects = new org.fedorabuild.hub.namespace.Projects(d, new Users(d));
            d.tx(() -> projects.create(CoprName.parse("alice/p"), List.of("fedora-40-x86_64"), null));
        }
        try (Database db = HubDatabase.open(config, "restart-test", 2)) {
            assertFalse(new org.fedorabuild.hub.namespace.Tags(new Db(db.dataSource())).find("alice/p/fedora-40-x86_64").isEmpty());
        }
    }
}

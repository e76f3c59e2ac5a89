package org.fedorabuild.hub.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.hub.task.TaskPayloads;
import org.fedorabuild.hub.testing.BuildHub;
import org.fedorabuild.hub.testing.TinyPackages;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A kojid-style builder that checks in itself: host.* calls need its exclusive session and touch only its tasks. */
class HostCallsTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    Path tmp;

    @Test
    void selfCheckingInBuilderTakesAndFailsItsTask() throws Exception {
        try (BuildHub hub = BuildHub.start(PG.dataSource(), tmp.resolve("data"), "", 0)) {
            String alice = hub.user("alice", false);
            hub.project("alice/k", "fedora-40-" + BuildHub.arch());
            String hostToken = hub.hub.services.db.tx(() -> {
                hub.hub.services.hosts.add("kojid1", List.of(BuildHub.arch()), 2.0, null);
                int uid = (Integer) hub.hub.services.users.byName("kojid1").orElseThrow().get("id");
                return hub.hub.services.tokens.create(uid, null);
            });
            try (KojiClient k = hub.login("alice", alice); KojiClient h = hub.login("kojid1", hostToken)) {
                int task = hub.build(k, TinyPackages.srpm(tmp, "tiny-kojid", "1.0", 0), "alice/k", Map.of());
                KojiFault notExclusive = assertThrows(KojiFault.class, () -> h.call("host.getID"));
                assertTrue(notExclusive.getMessage().contains("exclusive session"), notExclusive.getMessage());
                assertThrows(KojiFault.class, () -> k.call("host.getID"), "a normal user is no host");
                h.callKw("exclusiveSession", List.of(), Map.of("force", false));
                int hostId = ((Number) h.call("host.getID")).intValue();
                h.call("host.updateHost", 0.0, true);
                assertNotNull(((Map<?, ?>) h.call("host.getHost")).get("update_ts"));
                List<?> assigned = (List<?>) h.call("host.getTasks");
                assertEquals(1, assigned.size(), "the buildArch task is assigned to the only fitting host");
                int child = ((Number) ((Map<?, ?>) assigned.get(0)).get("id")).intValue();
                Map<?, ?> opened = (Map<?, ?>) h.call("host.openTask", child);
                assertTrue(((String) opened.get("request")).contains("<methodName>buildArch</methodName>"));
                assertEquals((long) hostId, ((Map<?, ?>) k.call("getTaskInfo", child)).get("host_id"));
                h.call("host.failTask", child, TaskPayloads.encodeFault(1005, "no space left on device"));
                assertEquals(5L, hub.await(k, task, Duration.ofSeconds(10)).get("state"));
                KojiFault f = assertThrows(KojiFault.class, () -> k.call("getTaskResult", task));
                assertTrue(f.getMessage().contains("no space left on device"), f.getMessage());
                assertThrows(KojiFault.class, () -> h.call("host.closeTask", child, TaskPayloads.encodeResult(null)),
                        "a host may not touch a task it does not hold open");
            }
        }
    }
}

package org.fedorabuild.hub.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.config.ConfigException;
import org.fedorabuild.hub.config.HubConfig;
import org.fedorabuild.hub.config.HubConfigLoader;
import org.junit.jupiter.api.Test;

class RetentionConfigTest {
    static HubConfig parse(String text) {
        return HubConfigLoader.parse("r.conf", text, HubConfigLoader.Overrides.NONE);
    }

    @Test
    void defaultsKeepEverythingAndScheduleNothing() {
        RetentionSettings r = parse("[hub]\n").retention();
        assertEquals(new Policy(0, 0, 0, LogAction.COMPRESS), r.policy());
        assertNull(r.schedule());
        assertEquals(Duration.ofHours(24), r.uploadAge());
        assertEquals(Duration.ZERO, r.idleBuilder());
        assertEquals(List.of(), r.decommissionHook());
    }

    @Test
    void everyKeyMaps() {
        HubConfig c = parse("[hub]\n[retention]\nkeep_builds = 3\nFailed_Days = 30\nscratch_days = 7\nlogs = remove\nupload_hours = 6\n"
                + "schedule = 0 30 3 * * ?\nidle_builder_hours = 2\ndecommission_hook = kojira-watchdog drain {host}\n"
                + "decommission_timeout = 60\n");
        RetentionSettings r = c.retention();
        assertEquals(new Policy(3, 30, 7, LogAction.REMOVE), r.policy());
        assertEquals(Duration.ofHours(6), r.uploadAge());
        assertEquals(Duration.ofHours(6), c.builds().uploadMaxAge(), "one source of truth for the upload age");
        assertEquals("0 30 3 * * ?", r.schedule());
        assertEquals(List.of("kojira-watchdog", "drain", "{host}"), r.decommissionHook());
        assertEquals(Duration.ofSeconds(60), r.hookTimeout());
    }

    @Test
    void deprecatedUploadMaxAgeStillWorksButNotBesideUploadHours() {
        assertEquals(Duration.ofHours(2), parse("[hub]\nUploadMaxAge = 2\n").retention().uploadAge());
        ConfigException e = assertThrows(ConfigException.class, () -> parse("[hub]\nUploadMaxAge = 2\n[retention]\nupload_hours = 3\n"));
        assertTrue(e.getMessage().contains("UploadMaxAge: deprecated"), e.getMessage());
    }

    @Test
    void allProblemsAtOnce() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("[hub]\nDBPoolSize = 0\n[retention]\nkeep_builds = -1\n"
                + "logs = shred\nschedule = nightly\nbogus = 1\n[other]\n"));
        String m = e.getMessage();
        for (String want : List.of("DBPoolSize", "r.conf:4: keep_builds: -1 is out of range", "logs: expected compress, remove or keep",
                "schedule: 'nightly' is not a Quartz cron expression", "r.conf:7: unknown config option: bogus", "unknown section [other]")) {
            assertTrue(m.contains(want), want + " in " + m);
        }
    }

    @Test
    void projectOverridesUseTheSameDefinitions() {
        assertNull(RetentionKeys.checkProjectOverride("keep_builds", "3"));
        assertTrue(RetentionKeys.checkProjectOverride("keep_builds", "x").contains("'x' is not an integer"));
        assertTrue(RetentionKeys.checkProjectOverride("schedule", "0 0 * * * ?").startsWith("unknown project retention key"));
        Policy p = new Policy(5, 30, 7, LogAction.COMPRESS).with(Map.of("keep_builds", "1", "logs", "keep"));
        assertEquals(new Policy(1, 30, 7, LogAction.KEEP), p);
    }
}

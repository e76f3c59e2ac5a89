package org.fedorabuild.watchdog.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ConfigTest {
    private static WatchdogConfig parse(String body) {
        return ConfigLoader.parse("t.conf", "[kojira-watchdog]\nserver = https://koji.example.org/kojihub\n" + body);
    }

    @Test
    void defaults() {
        WatchdogConfig c = parse("");
        assertEquals("noauth", c.hub().authtype());
        assertEquals(Duration.ofSeconds(60), c.policy().checkInterval());
        assertEquals(Duration.ofSeconds(900), c.policy().hostGrace());
        assertEquals(0.5, c.policy().maxStaleFraction());
        assertEquals(50, c.policy().maxFreesPerCycle());
        assertEquals(Duration.ofHours(4), c.policy().disabledTaskDeadline());
        assertEquals(Duration.ofHours(8), c.policy().hungTaskTimeout());
        assertEquals("free", c.policy().hungTaskAction());
        assertFalse(c.policy().dryRun());
        assertTrue(c.policy().fence());
        assertEquals(Path.of("/var/lib/kojira-watchdog"), c.storage().dataDir());
        assertNull(c.storage().dbUrl());
        assertNull(c.metricsListen());
        assertTrue(c.hub().callTimeout().plus(c.hub().connectTimeout()).compareTo(Duration.ofMinutes(1)) < 0);
        assertTrue(c.hub().cycleTimeout().compareTo(Duration.ofMinutes(2)) < 0, "default well under two minutes");
    }

    @Test
    void everyKeyMapsAndDurationsTakeUnits() {
        WatchdogConfig c = parse("authtype = password\nuser = wd\npassword = s3cret\ncheck_interval = 2m\nhost_grace = 15m\n"
                + "max_stale_fraction = 0.25\nmax_frees_per_cycle = 7\ndisabled_task_deadline = 2h\nassign_timeout = 30s\n"
                + "hung_task_timeout = 0\nhung_task_action = cancel\noutage_warmup = 5m\nfence = off\nfence_release = 1h\n"
                + "dry_run = yes\ndata_dir = /tmp/wd\ndb_url = jdbc:postgresql://db/wd\ndb_user = u\ndb_password = p\n"
                + "metrics_listen = 127.0.0.1:9464\ndrain_deadline = 90m\nauto_drain = true\nauto_drain_hosts = a, b c\n"
                + "max_drains_per_channel = 2\n");
        assertEquals(Duration.ofMinutes(2), c.policy().checkInterval());
        assertEquals(Duration.ofMinutes(15), c.policy().hostGrace());
        assertEquals(0.25, c.policy().maxStaleFraction());
        assertEquals(7, c.policy().maxFreesPerCycle());
        assertEquals(Duration.ofHours(2), c.policy().disabledTaskDeadline());
        assertEquals(Duration.ZERO, c.policy().hungTaskTimeout());
        assertEquals("cancel", c.policy().hungTaskAction());
        assertFalse(c.policy().fence());
        assertTrue(c.policy().dryRun());
        assertEquals("jdbc:postgresql://db/wd", c.storage().dbUrl());
        assertEquals("127.0.0.1:9464", c.metricsListen());
        assertEquals(List.of("a", "b", "c"), c.drain().autoHosts());
        assertEquals(Duration.ofMinutes(90), c.drain().defaultDeadline());
    }

    @Test
    void secretsAreMaskedWhenPrinted() {
        WatchdogConfig c = parse("authtype = password\nuser = wd\npassword = s3cret\ndb_password = dbs3cret\n");
        String shown = c.toString();
        assertFalse(shown.contains("s3cret"), shown);
        assertTrue(shown.contains("********"));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("bad.conf",
                "[kojira-watchdog]\nserver = ftp://nowhere\nbogus = 1\nhost_grace = soon\nmax_stale_fraction = 2\n"
                        + "authtype = ssl\n"));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("unknown config option: bogus"), all);
        assertTrue(all.contains("host_grace"), all);
        assertTrue(all.contains("max_stale_fraction"), all);
        assertTrue(all.contains("server"), all);
        assertTrue(all.contains("cert: required with authtype ssl"), all);
        assertTrue(e.problems().size() >= 5, all);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "check_interval = 0|check_interval: must be greater than 0",
        "dry_run = maybe|dry_run",
        "hung_task_action = ignore|hung_task_action",
        "metrics_listen = nowhere|metrics_listen",
        "ssh_key = /k|ssh_known_hosts: required with ssh_key",
        "max_frees_per_cycle = -1|max_frees_per_cycle",
        "authtype = password|user and password"})
    void brokenValues(String line, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(line + "\n"));
        assertTrue(String.join("\n", e.problems()).contains(expected), e.problems().toString());
    }

    @Test
    void missingSectionIsAProblem() {
        assertThrows(ConfigException.class, () -> ConfigLoader.parse("x", "[other]\na = 1\n"));
    }

    /** The shipped example lists every key, parses, and keeps the defaults it documents. */
    @Test
    void exampleConfigListsEveryKey() throws Exception {
        Path example = Path.of("../etc/kojira-watchdog/kojira-watchdog.conf");
        String text = Files.readString(example);
        for (String key : ConfigKeys.ALL.keySet()) {
            assertTrue(Pattern.compile("(?m)^[#;]?\\s*" + Pattern.quote(key) + "\\s*=").matcher(text).find(),
                    "example config lacks " + key);
        }
        Matcher active = Pattern.compile("(?m)^server\\s*=").matcher(text);
        assertTrue(active.find(), "the example sets server");
        ConfigLoader.parse(example.toString(), text.replaceAll("(?m)^cert = .*$", "").replaceAll("(?m)^authtype = ssl$",
                "authtype = noauth"));
    }
}

package org.fedorabuild.compat.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one section reader: typed values, defaults, FILE:LINE problems, required keys, names in any case. */
class ConfigSectionTest {
    static final ConfigKey<Long> MAX = ConfigKey.range("max", 4, 1, 10, "at most");
    static final ConfigKey<Duration> WAIT = ConfigKey.duration("wait", "30s", "how long");
    static final ConfigKey<String> CMD = ConfigKey.string("cmd", null, "a command");
    static final List<ConfigKey<?>> KEYS = List.of(MAX, WAIT, CMD);

    @Test
    void valuesDefaultsAndProblems() {
        IniFile ini = IniFile.parse("p.conf", "[pool a]\nMAX = 7\n\n[pool b]\nmax = 70\nwait = soon\nflavour = m5\n");
        List<String> problems = new ArrayList<>();
        ConfigSection a = ConfigSection.read(ini, "pool a", KEYS, problems);
        assertEquals(List.of(), problems);
        assertEquals(7L, a.get(MAX), "names match in any case");
        assertEquals(Duration.ofSeconds(30), a.get(WAIT), "the default when unset");
        assertEquals("p.conf:2", a.origin(MAX));
        assertFalse(a.isSet(WAIT));
        assertFalse(a.require(List.of(CMD), "a pool section", problems));
        assertEquals(List.of("p.conf: [pool a]: cmd: required in a pool section"), problems);

        problems.clear();
        ConfigSection b = ConfigSection.read(ini, "pool b", KEYS, problems);
        assertEquals(3, problems.size(), problems.toString());
        assertEquals("p.conf:5: max: 70 is out of range 1..10", problems.get(0));
        assertTrue(problems.get(1).startsWith("p.conf:6: wait: "), problems.get(1));
        assertEquals("p.conf:7: unknown config option: flavour (in [pool b]; known: max wait cmd)", problems.get(2));
        assertEquals(4L, b.get(MAX), "a bad value leaves the default (its problem is reported)");
        assertTrue(b.isSet(MAX));

        problems.clear();
        ConfigSection none = ConfigSection.read(null, "pool c", KEYS, problems);
        none.set(WAIT, "2m", "--wait", problems);
        assertEquals(Duration.ofMinutes(2), none.get(WAIT));
        assertEquals("--wait", none.origin(WAIT));
        assertEquals(List.of(), problems);
    }
}

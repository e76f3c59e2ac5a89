package org.fedorabuild.hub.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvrTest {
    static final String[][] PAIRS = {
        {"1.0", "1.0"}, {"1.0", "2.0"}, {"2.0.1", "2.0"}, {"1.0a", "1.0"}, {"1.0", "1.0a"}, {"1.0~rc1", "1.0"},
        {"1.0~rc1", "1.0~rc2"}, {"1.0^git1", "1.0"}, {"1.0^git1", "1.0.1"}, {"1.0^", "1.0"}, {"010", "10"},
        {"a", "b"}, {"1.a", "1.1"}, {"1_0", "1.0"}, {"2:1.0-1", "1:9.0-1"}, {"1.0-1.fc40", "1.0-2.fc40"},
        {"1.0-1.fc40", "1.0-1.fc41"}, {"5.2.26-1.fc40", "5.2.26-1.fc40"}, {"1.0~~", "1.0~"}, {"xyz10", "xyz10.1"},
        {"1.2.3", "1.2.3.0"}, {"0:1.0", "1.0"}, {"1.0.a", "1.0.1"}, {"20101121", "2010.11.21"},
    };

    @Test
    void ordersLikeRpm() {
        assertTrue(Evr.parse("1.0~rc1").compareTo(Evr.parse("1.0")) < 0);
        assertTrue(Evr.parse("1.0^git1").compareTo(Evr.parse("1.0")) > 0);
        assertTrue(Evr.parse("1.0^git1").compareTo(Evr.parse("1.0.1")) < 0);
        assertTrue(Evr.parse("2:1.0-1").compareTo(Evr.parse("1:9.0-1")) > 0);
        assertEquals(0, Evr.parse("010").compareTo(Evr.parse("10")));
        assertTrue(Evr.parse("1.0a").compareTo(Evr.parse("1.0")) > 0);
        // dependency semantics: "= 1.0" names no release, so every release of 1.0 matches (rpm's labelCompare,
        // which sorts packages, would call 1.0-1 newer than 1.0)
        assertEquals(0, Evr.parse("1.0-1").compareTo(Evr.parse("1.0")));
    }

    /** The same pairs through rpm's own comparison (python3-rpm), when the machine has it. */
    @Test
    void agreesWithRpmLabelCompare() throws Exception {
        assumeTrue(Files.exists(Path.of("/usr/lib/python3/dist-packages/rpm")), "python3-rpm not installed");
        StringBuilder py = new StringBuilder("import rpm\ndef evr(s):\n    e='0'\n    if ':' in s: e,s=s.split(':',1)\n"
                + "    v,r=(s.rsplit('-',1)+[None])[:2] if '-' in s else (s,None)\n    return (e,v,r)\n");
        for (String[] p : PAIRS) {
            py.append("print(rpm.labelCompare(evr('").append(p[0]).append("'), evr('").append(p[1]).append("')))\n");
        }
        Process proc = new ProcessBuilder("/usr/bin/python3", "-c", py.toString()).redirectErrorStream(true).start();
        List<String> out = new String(proc.getInputStream().readAllBytes()).lines().toList();
        assertEquals(0, proc.waitFor(), String.join("\n", out));
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < PAIRS.length; i++) {
            int ours = Integer.signum(Evr.parse(PAIRS[i][0]).compareTo(Evr.parse(PAIRS[i][1])));
            if (ours != Integer.parseInt(out.get(i).trim())) {
                mismatches.add(PAIRS[i][0] + " vs " + PAIRS[i][1] + ": rpm " + out.get(i) + ", ours " + ours);
            }
        }
        assertTrue(mismatches.isEmpty(), mismatches.toString());
    }

    @Test
    void versionedRequiresMatchProvidesAsRpmDoes() {
        Capability provide = Capability.parse("libb-devel = 2.1-3.fc40");
        assertTrue(provide.satisfies(Capability.parse("libb-devel >= 2.0")));
        assertTrue(provide.satisfies(Capability.parse("libb-devel")));
        assertFalse(provide.satisfies(Capability.parse("libb-devel >= 3")));
        assertFalse(provide.satisfies(Capability.parse("libb-devel < 2.1")));
        assertTrue(provide.satisfies(Capability.parse("libb-devel = 2.1")), "no release in the require: any release");
        assertFalse(provide.satisfies(Capability.parse("libb-devel = 2.1-4.fc40")));
        assertTrue(Capability.unversioned("virtual-x").satisfies(Capability.parse("virtual-x >= 9")));
        assertFalse(provide.satisfies(Capability.parse("other >= 1")));
    }
}

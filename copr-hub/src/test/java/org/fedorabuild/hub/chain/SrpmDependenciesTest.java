package org.fedorabuild.hub.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fedorabuild.hub.builder.LocalTransport;
import org.fedorabuild.hub.testing.TinyPackages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SrpmDependenciesTest {
    @TempDir
    Path tmp;

    @Test
    void readsBuildRequiresAndFutureProvidesOfRealSrpmsAndOrdersThem() throws Exception {
        Path base = TinyPackages.srpm(tmp, "chain-base", TinyPackages.spec("chain-base", "1.0", 0, List.of(), List.of("chain(base) = 1.0")));
        Path mid = TinyPackages.srpm(tmp, "chain-mid", TinyPackages.spec("chain-mid", "2.0", 0, List.of("chain(base) >= 1"), List.of()));
        Path top = TinyPackages.srpm(tmp, "chain-top", TinyPackages.spec("chain-top", "3.0", 0, List.of("chain-mid >= 2.0-1"), List.of()));
        org.fedorabuild.hub.testing.TestSandbox.setUp();
        try (LocalTransport t = new LocalTransport(tmp.resolve("builder"))) {
            List<SourcePackage> pkgs = SrpmDependencies.read(t, "deps-1", List.of(top, mid, base), "fedora-40-x86_64", Duration.ofMinutes(1));
            assertEquals(List.of("chain-top", "chain-mid", "chain-base"), pkgs.stream().map(SourcePackage::name).toList());
            assertTrue(pkgs.get(2).provides().contains(Capability.parse("chain(base) = 1.0")), pkgs.get(2).provides().toString());
            assertTrue(pkgs.get(1).provides().stream().anyMatch(c -> c.toString().equals("chain-mid = 2.0-1.fc40")),
                    "provides come from the spec with the chroot's %dist: " + pkgs.get(1).provides());
            ChainPlan plan = ChainPlan.of(pkgs);
            assertEquals(List.of(1), java.util.Arrays.stream(plan.dependsOn(0)).boxed().toList());
            assertEquals(List.of(2), java.util.Arrays.stream(plan.dependsOn(1)).boxed().toList());
        }
    }
}

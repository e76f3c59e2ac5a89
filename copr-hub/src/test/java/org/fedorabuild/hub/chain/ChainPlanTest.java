package org.fedorabuild.hub.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainPlanTest {
    static SourcePackage pkg(String name, List<String> provides, List<String> requires) {
        List<Capability> p = new ArrayList<>(List.of(Capability.parse(name + " = 1.0-1")));
        provides.forEach(x -> p.add(Capability.parse(x)));
        return new SourcePackage(name, name, Evr.parse("1.0-1"), p, requires.stream().map(Capability::parse).toList());
    }

    /** Runs a plan to the end, building in the order the progress hands out, one at a time. */
    static List<String> buildOrder(ChainPlan plan, ChainProgress progress) {
        List<String> order = new ArrayList<>();
        while (!progress.finished()) {
            List<Integer> next = progress.start(1);
            if (next.isEmpty()) {
                break;
            }
            order.add(plan.packages().get(next.get(0)).name());
            progress.finished(next.get(0), true, null);
        }
        return order;
    }

    @Test
    void reverseOrderInputBuildsInDependencyOrderViaVirtualAndVersionedProvides() {
        // app needs libb-devel >= 2 (virtual, from libb) and tool; libb needs base
        List<SourcePackage> input = List.of(
                pkg("app", List.of(), List.of("libb-devel >= 2", "tool", "gcc")),
                pkg("tool", List.of(), List.of("base")),
                pkg("libb", List.of("libb-devel = 2.5"), List.of("base")),
                pkg("base", List.of(), List.of()));
        ChainPlan plan = ChainPlan.of(input);
        assertTrue(plan.cycles().isEmpty());
        List<String> order = buildOrder(plan, new ChainProgress(plan, ChainPriority.unknown(plan), ChainProgress.CyclePolicy.FAIL, 1));
        assertEquals("base", order.get(0));
        assertEquals("app", order.get(3));
        assertEquals(List.of(Capability.parse("gcc")), plan.externalRequires(0), "gcc comes from the buildroot's repos");
    }

    @Test
    void versionTooLowDoesNotCount() {
        ChainPlan plan = ChainPlan.of(List.of(pkg("app", List.of(), List.of("libb-devel >= 3")),
                pkg("libb", List.of("libb-devel = 2.5"), List.of())));
        assertArrayEquals(new int[0], plan.dependsOn(0));
        assertEquals(1, plan.externalRequires(0).size());
    }

    @Test
    void cyclesAreReportedByNameAndFailTheirDependants() {
        ChainPlan plan = ChainPlan.of(List.of(pkg("a", List.of(), List.of("b")), pkg("b", List.of(), List.of("c")),
                pkg("c", List.of(), List.of("a")), pkg("d", List.of(), List.of("a")), pkg("e", List.of(), List.of())));
        assertEquals(1, plan.cycles().size());
        assertEquals("a-1.0-1 <-> b-1.0-1 <-> c-1.0-1", plan.describeCycle(plan.cycles().get(0)));
        ChainProgress progress = new ChainProgress(plan, ChainPriority.unknown(plan), ChainProgress.CyclePolicy.FAIL, 1);
        assertEquals(List.of("e"), buildOrder(plan, progress));
        assertEquals(ChainProgress.State.FAILED, progress.state(0));
        assertTrue(progress.reason(0).startsWith("dependency cycle: a-1.0-1 <-> b-1.0-1 <-> c-1.0-1"), progress.reason(0));
        assertEquals(ChainProgress.State.SKIPPED, progress.state(3));
        assertTrue(progress.reason(3).contains("needs a-1.0-1"), progress.reason(3));
    }

    @Test
    void boundedRetryStaysInsideTheCycle() {
        // a and b need each other; pretend a can build first (bootstrap), b only after a
        ChainPlan plan = ChainPlan.of(List.of(pkg("a", List.of(), List.of("b")), pkg("b", List.of(), List.of("a")),
                pkg("c", List.of(), List.of("a", "b"))));
        ChainProgress progress = new ChainProgress(plan, ChainPriority.unknown(plan), ChainProgress.CyclePolicy.RETRY, 3);
        List<Integer> first = progress.start(2);
        assertEquals(2, first.size(), "both cycle members start; c waits for both");
        progress.finished(1, false, "missing a");
        progress.finished(0, true, null);
        List<Integer> retry = progress.start(2);
        assertEquals(List.of(1), retry, "b retried because a built since its attempt; c still waits");
        progress.finished(1, true, null);
        assertEquals(List.of(2), progress.start(2));
        assertEquals(2, progress.attempts(1));
    }

    @Test
    void aFailureSkipsOnlyWhatDependsOnIt() {
        ChainPlan plan = ChainPlan.of(List.of(pkg("base", List.of(), List.of()), pkg("mid", List.of(), List.of("base")),
                pkg("top", List.of(), List.of("mid")), pkg("other", List.of(), List.of())));
        ChainProgress progress = new ChainProgress(plan, ChainPriority.unknown(plan), ChainProgress.CyclePolicy.FAIL, 1);
        for (int i : progress.start(4)) {
            progress.finished(i, plan.packages().get(i).name().equals("other"), "BuildError: rpmbuild exited 1");
        }
        assertEquals(ChainProgress.State.FAILED, progress.state(0));
        assertEquals(ChainProgress.State.SKIPPED, progress.state(1));
        assertEquals(ChainProgress.State.SKIPPED, progress.state(2));
        assertEquals(ChainProgress.State.BUILT, progress.state(3));
        assertTrue(progress.finished());
    }

    @Test
    void syntheticDistroBuildsEveryPackageExactlyOnce() {
        ChainSimulation sim = ChainSimulation.synthetic(300, 7, 30, 120);
        ChainSimulation.Result r = sim.planned(16, 8, ChainSimulation.Estimates.EXACT);
        assertEquals(1.0, r.attemptsPerPackage());
        assertEquals(0, r.unbuilt());
        assertTrue(r.makespan() >= r.lowerBound(), "never faster than the lower bound");
        ChainSimulation.Result m = sim.mockchain(16, 8);
        assertTrue(m.attemptsPerPackage() > 1.0, "the retry loop wastes attempts on a shuffled input");
    }
}

package org.fedorabuild.hub.chain;

import static org.fedorabuild.hub.chain.ChainPlanTest.buildOrder;
import static org.fedorabuild.hub.chain.ChainPlanTest.pkg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The order ready members start in, on hand-made graphs: which starts first when one builder is free. */
class ChainPriorityTest {
    private static final double MIN = 60;

    /** head → mid → tail, 10 minutes each, and "big", needed by nobody, 25 minutes. */
    private static ChainPlan longChainAndOneBigPackage() {
        return ChainPlan.of(List.of(pkg("big", List.of(), List.of()), pkg("tail", List.of(), List.of("mid")),
                pkg("mid", List.of(), List.of("head")), pkg("head", List.of(), List.of())));
    }

    @Test
    void theHeadOfALongChainStartsBeforeALongerIndependentBuild() {
        ChainPlan plan = longChainAndOneBigPackage();
        ChainPriority p = ChainPriority.of(plan, new double[] {25 * MIN, 10 * MIN, 10 * MIN, 10 * MIN}, 30);
        assertEquals(30 * MIN + 90, p.bottomLevel(3), 1e-9, "three builds and three publications lie ahead of head");
        ChainProgress progress = new ChainProgress(plan, p, ChainProgress.CyclePolicy.FAIL, 1);
        assertEquals(List.of(3), progress.start(1), "one builder free: head, although big's own build is longer");
        assertEquals(List.of(0), progress.start(1), "the next builder: big (mid waits for head)");
    }

    @Test
    void aShortIndependentBuildWaitsForTheChainAndALongOneDoesNot() {
        ChainPlan plan = longChainAndOneBigPackage();
        ChainPriority p = ChainPriority.of(plan, new double[] {45 * MIN, 10 * MIN, 10 * MIN, 10 * MIN}, 30);
        assertEquals(List.of("big", "head", "mid", "tail"),
                buildOrder(plan, new ChainProgress(plan, p, ChainProgress.CyclePolicy.FAIL, 1)),
                "45 minutes of big outweigh the chain's 31.5");
    }

    @Test
    void withoutHistoryTheLongerChainInPackagesGoesFirst() {
        ChainPlan plan = longChainAndOneBigPackage();
        ChainProgress progress = new ChainProgress(plan, ChainPriority.unknown(plan), ChainProgress.CyclePolicy.FAIL, 1);
        assertEquals(List.of("head", "mid", "big", "tail"), buildOrder(plan, progress),
                "head and mid lead paths of three and two packages; big and tail tie, big is earlier in the request");
    }

    @Test
    void tiesGoToMoreDependantsThenToTheLongerBuild() {
        // libx is needed by two packages, liby by one: equal paths, libx first
        ChainPlan libs = ChainPlan.of(List.of(pkg("liby", List.of(), List.of()), pkg("libx", List.of(), List.of()),
                pkg("a", List.of(), List.of("libx")), pkg("b", List.of(), List.of("libx")), pkg("c", List.of(), List.of("liby"))));
        ChainPriority p = ChainPriority.of(libs, new double[] {MIN, MIN, MIN, MIN, MIN}, 0);
        assertEquals(p.bottomLevel(0), p.bottomLevel(1), 1e-9);
        assertEquals(List.of(1), new ChainProgress(libs, p, ChainProgress.CyclePolicy.FAIL, 1).start(1));
        // x (4 min) and y (6 min) each needed by one package, both paths 10 minutes: the longer build first
        ChainPlan pairs = ChainPlan.of(List.of(pkg("x", List.of(), List.of()), pkg("y", List.of(), List.of()),
                pkg("after-x", List.of(), List.of("x")), pkg("after-y", List.of(), List.of("y"))));
        ChainPriority q = ChainPriority.of(pairs, new double[] {4 * MIN, 6 * MIN, 6 * MIN, 4 * MIN}, 0);
        assertEquals(q.bottomLevel(0), q.bottomLevel(1), 1e-9);
        assertEquals(List.of(1, 0), new ChainProgress(pairs, q, ChainProgress.CyclePolicy.FAIL, 1).start(2));
    }

    @Test
    void unknownBuildTimesCountAsTheMeanOfTheKnownOnes() {
        assertArrayEquals(new double[] {100, 400, 250, 250}, ChainPriority.fill(new double[] {100, 400, Double.NaN, -1}));
        assertArrayEquals(new double[] {ChainPriority.DEFAULT_SECONDS}, ChainPriority.fill(new double[] {Double.NaN}));
    }

    @Test
    void pacingKeepsOneBuildBeyondTheCapacityInFlight() {
        assertEquals(9, ChainPacing.slots(8, 0));
        assertEquals(1, ChainPacing.slots(8, 8), "all builders busy: one build queued for the next free one");
        assertEquals(0, ChainPacing.slots(8, 9), "nothing more: a later, more urgent member must not queue behind it");
        assertEquals(1, ChainPacing.slots(0, 0), "no builder yet: one build shows the demand");
        assertEquals(3, ChainPacing.slots(2.5, 1), "capacity rounds up, as a host takes a task that fits in its room");
    }
}

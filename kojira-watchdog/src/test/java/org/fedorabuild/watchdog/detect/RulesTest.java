package org.fedorabuild.watchdog.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedorabuild.watchdog.config.ConfigLoader;
import org.fedorabuild.watchdog.config.WatchdogConfig;
import org.fedorabuild.watchdog.guard.Guards;
import org.fedorabuild.watchdog.guard.Outcome;
import org.fedorabuild.watchdog.guard.OutageView;
import org.fedorabuild.watchdog.guard.Verdict;
import org.fedorabuild.watchdog.hub.FleetSnapshot;
import org.fedorabuild.watchdog.hub.Host;
import org.fedorabuild.watchdog.hub.Task;
import org.junit.jupiter.api.Test;

/** The rules and guards as pure functions over hand-made snapshots. */
class RulesTest {
    static final double NOW = 1_800_000_000.0;

    static WatchdogConfig.Policy policy(String extra) {
        return ConfigLoader.parse("t", "[kojira-watchdog]\nserver = http://h/kojihub\n" + extra).policy();
    }

    static Host host(long id, boolean enabled, Double update, Double session) {
        return new Host(id, "b" + id, enabled, true, 0, 2, "x86_64", null, update, session);
    }

    static Task open(long id, long host, double start) {
        return new Task(id, Task.OPEN, host, "buildArch", "x86_64", 1L, start - 10, start, false, null);
    }

    static FleetSnapshot snap(List<Host> hosts, List<Task> tasks) {
        return new FleetSnapshot(NOW, "test", hosts, tasks, 2, 0.01);
    }

    @Test
    void staleMeansBothCheckInAndSessionAreOld() {
        WatchdogConfig.Policy p = policy("");
        FleetSnapshot s = snap(List.of(host(1, true, NOW - 901, null), host(2, true, NOW - 2000, NOW - 30),
                host(3, true, NOW - 899, null), host(4, true, null, null)), List.of(open(10, 1, NOW - 5000),
                open(11, 2, NOW - 5000), open(12, 3, NOW - 5000), open(13, 4, NOW - 5000)));
        Rules.Evaluation e = Rules.evaluate(s, Memory.empty(), p, Map.of());
        List<Long> freed = e.decisions().stream().filter(d -> d.action() == Action.FREE).map(d -> d.task().id()).toList();
        assertEquals(List.of(10L, 13L), freed, "b2's session is alive (blocked main loop), b3 within grace");
        assertTrue(e.decisions().stream().anyMatch(d -> d.evidence().contains("never checked in")));
        assertEquals(3, e.enabledSeen(), "never-seen hosts are not counted by the guard");
        assertEquals(1, e.staleEnabled());
    }

    @Test
    void fenceComesBeforeTheFreesOfItsHost() {
        FleetSnapshot s = snap(List.of(host(1, true, NOW - 1000, null)), List.of(open(10, 1, NOW - 5000)));
        List<Decision> d = Rules.evaluate(s, Memory.empty(), policy(""), Map.of()).decisions();
        assertEquals(Action.FENCE, d.get(0).action());
        assertEquals(Action.FREE, d.get(1).action());
        assertEquals(1, Rules.evaluate(s, Memory.empty(), policy("fence = no\n"), Map.of()).decisions().size());
    }

    @Test
    void drainingHostsAreLeftToTheirDrain() {
        FleetSnapshot s = snap(List.of(host(1, false, NOW - 1000, null)), List.of(open(10, 1, NOW - 5000)));
        Memory m = new Memory(Map.of(), Map.of(), Map.of(), Map.of(), Set.of(1L), Set.of());
        assertTrue(Rules.evaluate(s, m, policy(""), Map.of()).decisions().isEmpty());
    }

    @Test
    void hungNeedsOldOutputOnALiveHost() {
        FleetSnapshot s = snap(List.of(host(1, true, NOW - 10, null)), List.of(open(10, 1, NOW - 40_000),
                open(11, 1, NOW - 40_000)));
        WatchdogConfig.Policy p = policy("hung_task_timeout = 8h\n");
        assertEquals(List.of(10L, 11L), Rules.hungCandidates(s, Memory.empty(), p));
        List<Decision> d = Rules.evaluate(s, Memory.empty(), p, Map.of(10L, NOW - 30_000, 11L, NOW - 60)).decisions();
        assertEquals(1, d.size());
        assertEquals(Rule.HUNG_TASK, d.get(0).rule());
        assertEquals(10L, d.get(0).task().id());
    }

    @Test
    void guardsStaleFractionWarmupOncePerRunRateLimitAndDryRun() {
        List<Host> hosts = List.of(host(1, true, NOW - 1000, null), host(2, true, NOW - 10, null),
                host(3, true, NOW - 10, null));
        List<Task> tasks = List.of(open(10, 1, NOW - 5000), open(11, 1, NOW - 5000), open(12, 1, NOW - 5000));
        FleetSnapshot s = snap(hosts, tasks);
        WatchdogConfig.Policy p = policy("fence = no\nmax_frees_per_cycle = 1\n");
        Rules.Evaluation e = Rules.evaluate(s, Memory.empty(), p, Map.of());

        List<Verdict> v = Guards.apply(e, Memory.empty(), policy("fence = no\nmax_stale_fraction = 0.3\n"), OutageView.NONE, NOW);
        assertTrue(v.get(0).decision().rule() == Rule.GUARD && v.get(0).decision().evidence().contains("guard"));
        assertTrue(v.stream().skip(1).allMatch(x -> x.outcome() == Outcome.GUARD_STALE_FRACTION));

        v = Guards.apply(e, Memory.empty(), p, new OutageView(false, NOW - 100), NOW);
        assertTrue(v.stream().filter(x -> x.decision().task() != null).allMatch(x -> x.outcome() == Outcome.GUARD_WARMUP));
        v = Guards.apply(e, Memory.empty(), p, new OutageView(true, null), NOW);
        assertTrue(v.stream().filter(x -> x.decision().task() != null).allMatch(x -> x.outcome() == Outcome.GUARD_WARMUP));

        Memory done = new Memory(Map.of(), Map.of(), Map.of(), Map.of(), Set.of(), Set.of(tasks.get(0).runKey()));
        v = Guards.apply(e, done, p, new OutageView(false, NOW - 10_000), NOW);
        assertEquals(List.of(Outcome.ALREADY_DONE, Outcome.ACT, Outcome.RATE_LIMITED), v.stream().map(Verdict::outcome).toList());

        v = Guards.apply(e, Memory.empty(), policy("fence = no\ndry_run = yes\n"), OutageView.NONE, NOW);
        assertTrue(v.stream().allMatch(x -> x.outcome() == Outcome.DRY_RUN));
    }

    @Test
    void runKeyChangesWhenAnotherHostOpensTheTask() {
        Task first = open(10, 1, NOW - 5000);
        Task again = open(10, 2, NOW - 100);
        assertTrue(!first.runKey().equals(again.runKey()));
    }
}

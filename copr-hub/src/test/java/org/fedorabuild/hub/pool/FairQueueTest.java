package org.fedorabuild.hub.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedorabuild.hub.config.ConfigException;
import org.fedorabuild.hub.config.HubConfigLoader;
import org.junit.jupiter.api.Test;

/** The dispatch order, the pool plan and the pool config keys, without a hub. */
class FairQueueTest {
    private static FairQueue.Candidate task(int id, int owner, int priority) {
        return new FairQueue.Candidate(id, owner, "u" + owner, priority, "x86_64", 1.0, 0);
    }

    /** One free slot: the first candidate offered is the one placed. */
    private static int first(List<FairQueue.Candidate> c, Map<Integer, Integer> running, int limit) {
        int[] left = {1};
        var placed = FairQueue.offer(c, new HashMap<>(running), limit, t -> left[0]-- > 0);
        return placed.isEmpty() ? -1 : placed.get(0).id();
    }

    @Test
    void aSingleBuildOfAnotherOwnerGoesBeforeALongOlderQueue() {
        List<FairQueue.Candidate> c = new ArrayList<>();
        for (int i = 1; i <= 2500; i++) {
            c.add(task(i, 7, 20));
        }
        c.add(task(9999, 8, 20));
        assertEquals(9999, first(c, Map.of(7, 32), 0), "the owner running nothing goes first");
        assertEquals(1, first(c, Map.of(7, 32, 8, 40), 0), "then fewer running wins, whoever waited");
        c.set(0, task(1, 7, 15));
        assertEquals(1, first(c, Map.of(7, 32), 0), "priority first, as Koji");
        List<FairQueue.Candidate> bg = new ArrayList<>(c.subList(1, 2500).stream().map(t -> task(t.id(), 7, 25)).toList());
        bg.add(task(9999, 8, 20));
        assertEquals(9999, first(bg, Map.of(), 0), "--background: behind every normal-priority task");
    }

    @Test
    void ownerLimitHoldsBackTheOwnersTasksOnly() {
        List<FairQueue.Candidate> c = List.of(task(1, 7, 20), task(2, 7, 20), task(3, 7, 20), task(4, 8, 20));
        Map<Integer, Integer> running = new HashMap<>(Map.of(7, 1));
        var placed = FairQueue.offer(c, running, 2, t -> true);
        assertEquals(List.of(4, 1), placed.stream().map(FairQueue.Candidate::id).toList());
        assertEquals(2, running.get(7));
    }

    private static PoolSettings pool(String name, int max, int maxBuilds, int minIdle) {
        return new PoolSettings(name, "true", "true", null, List.of("x86_64"), 2, max, minIdle, maxBuilds, Duration.ofMinutes(15),
                Duration.ofMinutes(10), false, null, Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofSeconds(10),
                Duration.ofMinutes(5));
    }

    @Test
    void planStartsForWhatNoBuilderCanTakeNeverAboveMax() {
        List<FairQueue.Candidate> five = List.of(task(1, 7, 20), task(2, 7, 20), task(3, 7, 20), task(4, 7, 20), task(5, 7, 20));
        var a = pool("a", 2, 0, 0);
        assertEquals(Map.of("a", 2), PoolPlan.plan(List.of(a), Map.of(), Set.of(), List.of(), five, Map.of(), 0));
        var room = List.of(new PoolPlan.Slot("a", List.of("x86_64"), 2, Integer.MAX_VALUE, true));
        assertEquals(Map.of("a", 1), PoolPlan.plan(List.of(a), Map.of("a", 1), Set.of(), room, five, Map.of(), 0),
                "a starting builder's room counts; max counts it too");
        assertEquals(Map.of(), PoolPlan.plan(List.of(a), Map.of(), Set.of("a"), List.of(), five, Map.of(), 0), "backing off");
        assertEquals(Map.of("a", 1), PoolPlan.plan(List.of(a), Map.of(), Set.of(), List.of(), five, Map.of(), 1),
                "tasks held back by MaxBuildsPerOwner start no builder");
        var once = pool("once", 10, 1, 0);
        assertEquals(Map.of("once", 5), PoolPlan.plan(List.of(once), Map.of(), Set.of(), List.of(), five, Map.of(), 0),
                "max_builds = 1: a builder per task");
        var b = pool("b", 2, 0, 0);
        assertEquals(Map.of("a", 2, "b", 1), PoolPlan.plan(List.of(a, b), Map.of(), Set.of(), List.of(), five, Map.of(), 0),
                "the next pool when the first is full");
        assertEquals(Map.of("warm", 2), PoolPlan.plan(List.of(pool("warm", 4, 0, 2)), Map.of(), Set.of(), List.of(), List.of(),
                Map.of(), 0), "min_idle");
    }

    @Test
    void poolSectionsAreValidatedAllAtOnce() {
        var cfg = HubConfigLoader.parse("t.conf", "[hub]\nMaxBuildsPerOwner = 4\n[pool x86]\ncmd_new = /bin/new\ncmd_delete = /bin/del\n"
                + "arches = x86_64 noarch\nidle_timeout = 30s\nstart_timeout = 2h\nhost_key = trust-on-start\n",
                HubConfigLoader.Overrides.NONE);
        var p = cfg.pools().pools().get(0);
        assertEquals(4, cfg.pools().maxBuildsPerOwner());
        assertEquals(Duration.ofSeconds(30), p.idleTimeout());
        assertEquals(Duration.ofHours(2), p.startTimeout());
        assertTrue(p.trustOnStart());
        var e = assertThrows(ConfigException.class, () -> HubConfigLoader.parse("t.conf", "[hub]\n[pool bad name!]\n[pool y]\n"
                + "arches = x86_64\nidle_timeout = soon\nmax = 0\nflavour = m5\n", HubConfigLoader.Overrides.NONE));
        String m = e.getMessage();
        for (String want : new String[] {"invalid pool name 'bad name!'", "cmd_new: required", "cmd_delete: required",
                "idle_timeout: expected a duration such as 30s, 15m or 2h, got 'soon'", "max: 0 is out of range 1..10000",
                "unknown config option: flavour"}) {
            assertTrue(m.contains(want), want + " in " + m);
        }
    }
}

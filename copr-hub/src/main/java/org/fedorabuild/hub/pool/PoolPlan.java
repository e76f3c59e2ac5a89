package org.fedorabuild.hub.pool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How many builders each pool starts now: the waiting tasks, in the dispatcher's fair order and within the
 * per-owner limit, are placed first on the room of builders that exist (ready or still starting), then on
 * new builders of the first pool (in config order) that builds their arch, has room under {@code max}
 * (starting and retiring builders count) and is not backing off after failed starts. A task that no pool
 * can ever take (a weight above the capacity, an arch no pool builds) starts nothing. Then {@code min_idle}
 * is topped up. Pure: the pool manager and the benchmark use the same decisions.
 */
public final class PoolPlan {
    /** Room on one builder: free weight and how many more tasks it may take (max_builds). */
    public static final class Slot {
        final String pool;
        final List<String> arches;
        double free;
        int tasks;
        final boolean idle;
        boolean used;

        /** @param pool its pool, or null for a builder no pool manages; @param idle ready and running nothing, or starting */
        public Slot(String pool, List<String> arches, double free, int tasks, boolean idle) {
            this.pool = pool;
            this.arches = arches;
            this.free = free;
            this.tasks = tasks;
            this.idle = idle;
        }

        boolean takes(FairQueue.Candidate c) {
            return tasks > 0 && free + 1e-9 >= c.weight() && ("noarch".equals(c.arch()) || arches.contains(c.arch()));
        }

        void take(FairQueue.Candidate c) {
            free -= c.weight();
            tasks--;
            used = true;
        }
    }

    private PoolPlan() {
    }

    /**
     * @param live     builders per pool counting toward max (starting, ready, retiring)
     * @param blocked  pools backing off after failed starts
     * @param slots    room on existing builders, starting ones included
     * @return builders to start, per pool name (pools with none are absent)
     */
    public static Map<String, Integer> plan(List<PoolSettings> pools, Map<String, Integer> live, Set<String> blocked,
            List<Slot> slots, List<FairQueue.Candidate> waiting, Map<Integer, Integer> running, int perOwnerLimit) {
        Map<String, Integer> start = new LinkedHashMap<>();
        List<Slot> all = new ArrayList<>(slots);
        FairQueue.offer(waiting, new java.util.HashMap<>(running), perOwnerLimit, c -> {
            for (Slot s : all) {
                if (s.takes(c)) {
                    s.take(c);
                    return true;
                }
            }
            for (PoolSettings p : pools) {
                int n = live.getOrDefault(p.name(), 0) + start.getOrDefault(p.name(), 0);
                if (blocked.contains(p.name()) || !p.builds(c.arch()) || n >= p.max() || c.weight() > p.capacity() + 1e-9) {
                    continue;
                }
                Slot fresh = new Slot(p.name(), p.arches(), p.capacity(), p.maxBuilds() == 0 ? Integer.MAX_VALUE : p.maxBuilds(), true);
                fresh.take(c);
                all.add(fresh);
                start.merge(p.name(), 1, Integer::sum);
                return true;
            }
            return false;
        });
        for (PoolSettings p : pools) {
            if (blocked.contains(p.name()) || p.minIdle() == 0) {
                continue;
            }
            long warm = all.stream().filter(s -> p.name().equals(s.pool) && s.idle && !s.used).count();
            int room = p.max() - live.getOrDefault(p.name(), 0) - start.getOrDefault(p.name(), 0);
            int more = (int) Math.min(room, p.minIdle() - warm);
            if (more > 0) {
                start.merge(p.name(), more, Integer::sum);
            }
        }
        return start;
    }
}

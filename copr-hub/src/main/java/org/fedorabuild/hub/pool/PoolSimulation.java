package org.fedorabuild.hub.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The pool benchmark, on simulated builders (capacity 1, builds of log-normal length, median 4 minutes) with
 * the hub's own decisions each dispatch round: {@link FairQueue} for who runs next, {@link PoolPlan} for
 * which builders to start.
 *
 * <p>{@link #starvation}: one owner's 2 500-package mass rebuild (all queued at once) on a fixed fleet, and
 * another owner's single build an hour later; its queue wait under the old first-come order, the fair
 * order, the fair order with {@code MaxBuildsPerOwner}, and with the rebuild at background priority.
 * {@link #pickup}: builds arriving at random on a pool that starts builders on demand (boot time, idle
 * timeout, min_idle): time from a task waiting to a builder taking it.
 */
public final class PoolSimulation {
    private static final double ROUND = 1.0; // DispatchInterval, seconds

    /** The single build's wait and the mass rebuild's makespan, per policy. */
    public record Starvation(String policy, double singleWait, double rebuildHours) {
    }

    /** Waits from a task becoming FREE to a builder taking it. */
    public record Pickup(String setup, int tasks, double p50, double p95, double max, int started) {
    }

    private record Task(int id, int owner, int priority, double arrival, double duration) {
    }

    private PoolSimulation() {
    }

    private static double buildTime(Random r) {
        return Math.min(Math.exp(r.nextGaussian() + Math.log(4)), 600) * 60;
    }

    public static List<Starvation> starvation(int packages, int builders, int limit, long seed) {
        List<Starvation> out = new ArrayList<>();
        for (String policy : new String[] {"first-come (old)", "fair order", "fair + MaxBuildsPerOwner=" + limit, "fair + --background"}) {
            Random r = new Random(seed);
            List<Task> tasks = new ArrayList<>();
            int prio = policy.contains("background") ? 25 : 20;
            for (int i = 0; i < packages; i++) {
                tasks.add(new Task(i + 1, 1, prio, 0, buildTime(r)));
            }
            Task single = new Task(packages + 1, 2, 20, 3600, buildTime(r));
            tasks.add(single);
            Map<Integer, Double> start = fixedFleet(tasks, builders, !policy.startsWith("first"), policy.contains("Max") ? limit : 0);
            double makespan = tasks.stream().filter(t -> t.owner() == 1).mapToDouble(t -> start.get(t.id()) + t.duration()).max()
                    .orElse(0);
            out.add(new Starvation(policy, start.get(single.id()) - single.arrival(), makespan / 3600));
        }
        return out;
    }

    /** Event-driven: a dispatch round runs at the first round boundary after an arrival or a build's end. */
    private static Map<Integer, Double> fixedFleet(List<Task> tasks, int builders, boolean fair, int limit) {
        List<Task> pending = new ArrayList<>(tasks);
        pending.sort(Comparator.comparingDouble(Task::arrival));
        java.util.PriorityQueue<double[]> ends = new java.util.PriorityQueue<>(Comparator.comparingDouble(e -> e[0]));
        Map<Integer, Double> start = new HashMap<>();
        Map<Integer, Integer> running = new HashMap<>();
        List<FairQueue.Candidate> waiting = new ArrayList<>();
        Map<Integer, Task> byId = new HashMap<>();
        tasks.forEach(t -> byId.put(t.id(), t));
        int next = 0;
        int[] free = {builders};
        while (start.size() < tasks.size()) {
            double event = Math.min(next < pending.size() ? pending.get(next).arrival() : Double.MAX_VALUE,
                    ends.isEmpty() ? Double.MAX_VALUE : ends.peek()[0]);
            double now = Math.ceil(event / ROUND) * ROUND;
            while (next < pending.size() && pending.get(next).arrival() <= now) {
                Task t = pending.get(next++);
                waiting.add(new FairQueue.Candidate(t.id(), t.owner(), "o" + t.owner(), t.priority(), "x86_64", 1, 0));
            }
            while (!ends.isEmpty() && ends.peek()[0] <= now) {
                running.merge((int) ends.poll()[1], -1, Integer::sum);
                free[0]++;
            }
            List<FairQueue.Candidate> placed;
            if (fair) {
                placed = FairQueue.offer(waiting, running, limit, c -> free[0] > 0 && free[0]-- > 0);
            } else {
                waiting.sort(Comparator.comparingInt(FairQueue.Candidate::priority).thenComparingInt(FairQueue.Candidate::id));
                placed = new ArrayList<>(waiting.subList(0, Math.min(free[0], waiting.size())));
                free[0] -= placed.size();
            }
            for (FairQueue.Candidate c : placed) {
                start.put(c.id(), now);
                Task t = byId.get(c.id());
                ends.add(new double[] {now + t.duration(), t.owner()});
                if (!fair) {
                    running.merge(t.owner(), 1, Integer::sum);
                }
            }
            waiting.removeAll(placed);
        }
        return start;
    }

    /**
     * {@code tasks} builds arriving at random ({@code perHour}) on a pool of up to {@code max} builders that
     * boot in {@code boot}; idle ones retire after {@code idle}, {@code minIdle} are kept warm.
     */
    public static Pickup pickup(String setup, int tasks, double perHour, int max, Duration boot, Duration idle, int minIdle, long seed) {
        Random r = new Random(seed);
        PoolSettings pool = new PoolSettings("sim", "-", "-", null, List.of("x86_64"), 1, max, minIdle, 0, idle, Duration.ofHours(1),
                false, null, Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofSeconds(10), Duration.ofMinutes(5));
        List<Task> all = new ArrayList<>();
        double t = 0;
        for (int i = 0; i < tasks; i++) {
            t += -Math.log(1 - r.nextDouble()) * 3600 / perHour;
            all.add(new Task(i + 1, 1 + r.nextInt(20), 20, t, buildTime(r)));
        }
        // a builder: {ready at, busy until, idle since}; retired ones are removed
        List<double[]> fleet = new ArrayList<>();
        List<Double> waits = new ArrayList<>();
        List<FairQueue.Candidate> waiting = new ArrayList<>();
        Map<Integer, Task> byId = new HashMap<>();
        all.forEach(x -> byId.put(x.id(), x));
        int next = 0;
        int started = 0;
        for (double now = 0; waits.size() < tasks; now += ROUND) {
            while (next < all.size() && all.get(next).arrival() <= now) {
                Task x = all.get(next++);
                waiting.add(new FairQueue.Candidate(x.id(), x.owner(), "o", 20, "x86_64", 1, 0));
            }
            double clock = now;
            long idleReady = fleet.stream().filter(b -> b[0] <= clock && b[1] <= clock).count();
            for (var it = fleet.iterator(); it.hasNext(); ) {
                double[] b = it.next();
                if (b[0] <= now && b[1] <= now && now - Math.max(b[1], b[2]) > idle.toSeconds() && idleReady > minIdle) {
                    it.remove();
                    idleReady--;
                }
            }
            Map<Integer, Integer> running = new HashMap<>();
            var placed = FairQueue.offer(waiting, running, 0, c -> {
                for (double[] b : fleet) {
                    if (b[0] <= clock && b[1] <= clock) {
                        b[1] = clock + byId.get(c.id()).duration();
                        b[2] = b[1];
                        waits.add(clock - byId.get(c.id()).arrival());
                        return true;
                    }
                }
                return false;
            });
            waiting.removeAll(placed);
            List<PoolPlan.Slot> slots = new ArrayList<>();
            for (double[] b : fleet) {
                if (b[0] > now || b[1] <= now) {
                    slots.add(new PoolPlan.Slot("sim", pool.arches(), 1, Integer.MAX_VALUE, true));
                }
            }
            int n = PoolPlan.plan(List.of(pool), Map.of("sim", fleet.size()), Set.of(), slots, waiting, Map.of(), 0)
                    .getOrDefault("sim", 0);
            for (int i = 0; i < n; i++) {
                fleet.add(new double[] {now + boot.toSeconds(), 0, now + boot.toSeconds()});
                started++;
            }
        }
        waits.sort(Double::compare);
        return new Pickup(setup, tasks, waits.get(waits.size() / 2), waits.get((int) (waits.size() * 0.95)), waits.get(waits.size() - 1),
                started);
    }
}

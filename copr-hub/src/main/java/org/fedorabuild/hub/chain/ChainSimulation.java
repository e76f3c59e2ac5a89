package org.fedorabuild.hub.chain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * The chain-build benchmark: a synthetic distribution (a hidden build order; BuildRequires drawn with
 * preferential attachment so a few core packages are required by hundreds, as in Fedora; log-normal build
 * times), shuffled, then built on simulated builders two ways: by the hub's own chain code ({@link ChainProgress}
 * in {@link ChainPriority} order, paced by {@link ChainPacing}) and by a mockchain-style loop (try everything in the given order, retry what failed
 * for missing dependencies until a pass makes no progress). A failed attempt costs the buildroot setup
 * that discovers the missing dependency.
 */
public final class ChainSimulation {
    /** One package of the synthetic graph. */
    record Pkg(int id, double duration, int[] deps) {
    }

    /** What a strategy achieved. */
    public record Result(String strategy, int builders, double attemptsPerPackage, double makespan, double lowerBound,
            long unbuilt) {
        public double ratio() {
            return makespan / lowerBound;
        }
    }

    private final List<Pkg> pkgs;
    private final double repoDelay;
    private final double failCost;

    private ChainSimulation(List<Pkg> pkgs, double repoDelay, double failCost) {
        this.pkgs = pkgs;
        this.repoDelay = repoDelay;
        this.failCost = failCost;
    }

    /**
     * @param repoDelay seconds from a build's end until its RPMs are in the repo dependants build against
     * @param failCost seconds a build attempt takes to fail on a missing BuildRequires
     */
    public static ChainSimulation synthetic(int n, long seed, double repoDelay, double failCost) {
        Random r = new Random(seed);
        int[] popularity = new int[n];
        List<Pkg> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // fan-in: most packages need a handful of chain members, some need dozens
            int want = i == 0 ? 0 : Math.min(i, (int) Math.round(Math.exp(r.nextGaussian() * 0.8 + 1.1)));
            java.util.Set<Integer> deps = new java.util.TreeSet<>();
            for (int k = 0; k < want * 4 && deps.size() < want; k++) {
                // preferential attachment over earlier packages: popular ones get more popular
                int j = r.nextDouble() < 0.7 ? pickPopular(popularity, i, r) : r.nextInt(i);
                deps.add(j);
            }
            deps.forEach(j -> popularity[j]++);
            double minutes = Math.exp(r.nextGaussian() * 1.0 + Math.log(4));
            out.add(new Pkg(i, Math.min(minutes, 600) * 60, deps.stream().mapToInt(Integer::intValue).toArray()));
        }
        return new ChainSimulation(out, repoDelay, failCost);
    }

    private static int pickPopular(int[] popularity, int below, Random r) {
        long total = 0;
        for (int j = 0; j < below; j++) {
            total += popularity[j] + 1;
        }
        long x = (long) (r.nextDouble() * total);
        for (int j = 0; j < below; j++) {
            x -= popularity[j] + 1;
            if (x < 0) {
                return j;
            }
        }
        return below - 1;
    }

    /** The packages as the planner sees them: each provides its name and requires its dependencies' names. */
    List<SourcePackage> asSources(List<Pkg> order) {
        List<SourcePackage> s = new ArrayList<>();
        for (Pkg p : order) {
            List<Capability> req = new ArrayList<>();
            for (int d : p.deps()) {
                req.add(Capability.unversioned("pkg" + d + "-devel"));
            }
            s.add(new SourcePackage("p" + p.id(), "pkg" + p.id(), Evr.parse("1.0-1"),
                    List.of(Capability.parse("pkg" + p.id() + " = 1.0-1"), Capability.parse("pkg" + p.id() + "-devel = 1.0-1")), req));
        }
        return s;
    }

    private double lowerBound(int builders) {
        double[] finish = new double[pkgs.size()];
        double total = 0;
        double longest = 0;
        for (Pkg p : pkgs) {
            double start = 0;
            for (int d : p.deps()) {
                start = Math.max(start, finish[d] + repoDelay);
            }
            finish[p.id()] = start + p.duration();
            longest = Math.max(longest, finish[p.id()]);
            total += p.duration();
        }
        return Math.max(longest, total / builders);
    }

    /** A build ending ({@code published} false: its builder is free) or its publication. */
    private record Event(double time, int index, boolean published) {
    }

    /**
     * What the hub knows of each package's build time before the chain starts (its past builds): the true
     * duration, the true one off by up to 30 % either way, a previous version's (off by a log-normal factor of
     * sigma 0.4, and nothing known for one package in five), or nothing at all.
     */
    public enum Estimates {
        EXACT, NOISY, PREVIOUS, NONE;

        double[] of(List<Pkg> order, Random r) {
            double[] e = new double[order.size()];
            for (int i = 0; i < e.length; i++) {
                double d = order.get(i).duration();
                e[i] = switch (this) {
                    case EXACT -> d;
                    case NOISY -> d * (0.7 + 0.6 * r.nextDouble());
                    case PREVIOUS -> r.nextDouble() < 0.2 ? Double.NaN : d * Math.exp(0.4 * r.nextGaussian());
                    case NONE -> Double.NaN;
                };
            }
            return e;
        }
    }

    /** A build handed to the dispatcher: member index and the driver round (second) that created it. */
    private record Queued(int index, long round) {
    }

    /**
     * The hub's chain driver and dispatcher, simulated: both run once a second (DispatchInterval); a round of the
     * driver marks BUILT what has been published, then starts members in {@link ChainPriority} order, as many as
     * {@link ChainPacing} allows; the dispatcher hands the chain's queued builds to free builders oldest first,
     * from the round after they were queued. A builder is free again when its build ends; dependants wait for
     * the publication {@code repoDelay} later. The priority sees only {@code estimates}, and the measured
     * publication lag (here: {@code repoDelay}) when any build time is known.
     */
    public Result planned(int builders, long shuffleSeed, Estimates estimates) {
        List<Pkg> order = shuffled(shuffleSeed);
        ChainPlan plan = ChainPlan.of(asSources(order));
        double[] durations = order.stream().mapToDouble(Pkg::duration).toArray();
        double[] expected = estimates.of(order, new Random(shuffleSeed * 31 + 7));
        ChainPriority priority = ChainPriority.of(plan, expected, estimates == Estimates.NONE ? Double.NaN : repoDelay);
        ChainProgress progress = new ChainProgress(plan, priority, ChainProgress.CyclePolicy.FAIL, 1);
        PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> Double.compare(a.time(), b.time()));
        java.util.ArrayDeque<Queued> queue = new java.util.ArrayDeque<>();
        int free = builders;
        long attempts = 0;
        double end = 0;
        long round = 0;
        while (true) {
            while (!events.isEmpty() && events.peek().time() <= round) {
                Event e = events.poll();
                if (e.published()) {
                    progress.finished(e.index(), true, null); // published: dependants may start
                    end = Math.max(end, round);
                } else {
                    free++; // the build ended; its publication follows
                    events.add(new Event(e.time() + repoDelay, e.index(), true));
                }
            }
            while (free > 0 && !queue.isEmpty() && queue.peek().round() < round) {
                int i = queue.poll().index();
                free--;
                events.add(new Event(round + durations[i], i, false));
            }
            int inFlight = queue.size() + builders - free;
            for (int i : progress.start(ChainPacing.slots(builders, inFlight))) {
                queue.add(new Queued(i, round));
                attempts++;
            }
            if (events.isEmpty() && queue.isEmpty()) {
                break;
            }
            boolean dispatchable = free > 0 && !queue.isEmpty();
            round = dispatchable ? round + 1 : Math.max(round + 1, (long) Math.ceil(events.peek().time()));
        }
        return new Result("dependency order", builders, attempts / (double) pkgs.size(), end, lowerBound(builders),
                progress.count(ChainProgress.State.WAITING) + progress.count(ChainProgress.State.SKIPPED));
    }

    public Result mockchain(int builders, long shuffleSeed) {
        List<Pkg> remaining = shuffled(shuffleSeed);
        boolean[] built = new boolean[pkgs.size()];
        double[] availableAt = new double[pkgs.size()];
        java.util.Arrays.fill(availableAt, Double.MAX_VALUE);
        double now = 0;
        long attempts = 0;
        while (!remaining.isEmpty()) {
            List<Pkg> failed = new ArrayList<>();
            // one pass: each package goes to the next free builder in list order
            PriorityQueue<Double> builderFree = new PriorityQueue<>();
            for (int b = 0; b < builders; b++) {
                builderFree.add(now);
            }
            double passEnd = now;
            for (Pkg p : remaining) {
                double start = builderFree.poll();
                attempts++;
                boolean ok = true;
                for (int d : p.deps()) {
                    if (availableAt[d] > start) {
                        ok = false;
                        break;
                    }
                }
                double end = start + (ok ? p.duration() : Math.min(failCost, p.duration()));
                if (ok) {
                    built[p.id()] = true;
                    availableAt[p.id()] = end + repoDelay;
                } else {
                    failed.add(p);
                }
                builderFree.add(end);
                passEnd = Math.max(passEnd, end);
            }
            now = passEnd;
            if (failed.size() == remaining.size()) {
                break;
            }
            remaining = failed;
        }
        double lastAvailable = 0;
        for (int i = 0; i < built.length; i++) {
            if (built[i]) {
                lastAvailable = Math.max(lastAvailable, availableAt[i]);
            }
        }
        return new Result("mockchain retry loop", builders, attempts / (double) pkgs.size(), Math.max(now, lastAvailable),
                lowerBound(builders), remaining.size());
    }

    private List<Pkg> shuffled(long seed) {
        List<Pkg> order = new ArrayList<>(pkgs);
        Collections.shuffle(order, new Random(seed));
        return order;
    }

    /** {@code copr-hub chain bench}: both strategies at each builder count. */
    public static List<Result> run(int n, int[] builderCounts, long seed, Estimates estimates) {
        ChainSimulation sim = synthetic(n, seed, 30, 120);
        List<Result> results = new ArrayList<>();
        for (int b : builderCounts) {
            results.add(sim.planned(b, seed + 1, estimates));
            results.add(sim.mockchain(b, seed + 1));
        }
        return results;
    }
}

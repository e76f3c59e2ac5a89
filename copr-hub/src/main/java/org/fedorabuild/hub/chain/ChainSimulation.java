package org.fedorabuild.hub.chain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * The chain-build benchmark: a synthetic distribution (a hidden build order; BuildRequires drawn with
 * preferential attachment so a few core packages are required by hundreds, as in Fedora; log-normal build
 * times), shuffled, then built on simulated builders two ways: by {@link ChainProgress} (dependency order,
 * critical path first) and by a mockchain-style loop (try everything in the given order, retry what failed
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

    private record Event(double time, int index, boolean built) {
    }

    public Result planned(int builders, long shuffleSeed) {
        List<Pkg> order = shuffled(shuffleSeed);
        ChainPlan plan = ChainPlan.of(asSources(order));
        double[] durations = order.stream().mapToDouble(Pkg::duration).toArray();
        // what a dependant waits for is the build plus its repo publication
        double[] weights = order.stream().mapToDouble(p -> p.duration() + repoDelay).toArray();
        ChainProgress progress = new ChainProgress(plan, weights, ChainProgress.CyclePolicy.FAIL, 1);
        PriorityQueue<Event> running = new PriorityQueue<>((a, b) -> Double.compare(a.time(), b.time()));
        double now = 0;
        int free = builders;
        long attempts = 0;
        while (true) {
            for (int i : progress.start(free)) {
                running.add(new Event(now + durations[i] + repoDelay, i, true));
                free--;
                attempts++;
            }
            Event e = running.poll();
            if (e == null) {
                break;
            }
            now = e.time();
            free++;
            progress.finished(e.index(), true, null);
        }
        return new Result("dependency order", builders, attempts / (double) pkgs.size(), now, lowerBound(builders),
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

    /** {@code copr-hub bench chain}: prints the table of the figures. */
    public static List<Result> run(int n, int[] builderCounts, long seed) {
        ChainSimulation sim = synthetic(n, seed, 30, 120);
        List<Result> results = new ArrayList<>();
        for (int b : builderCounts) {
            results.add(sim.planned(b, seed + 1));
            results.add(sim.mockchain(b, seed + 1));
        }
        return results;
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2500;
        long t0 = System.nanoTime();
        System.out.printf("%-22s %8s %18s %12s %12s %10s %8s%n", "strategy", "builders", "attempts/package", "makespan h",
                "bound h", "ratio", "unbuilt");
        for (Result r : run(n, new int[] {8, 32, 128}, 42)) {
            System.out.printf("%-22s %8d %18.2f %12.1f %12.1f %10.3f %8d%n", r.strategy(), r.builders(),
                    r.attemptsPerPackage(), r.makespan() / 3600, r.lowerBound() / 3600, r.ratio(), r.unbuilt());
        }
        System.out.printf("(%d packages, %.1f s of simulation)%n", n, (System.nanoTime() - t0) / 1e9);
    }
}

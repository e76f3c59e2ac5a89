package org.fedorabuild.hub.chain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dependency order of a set of source packages: package A waits for package B when one of A's
 * BuildRequires is satisfied by one of B's provides (versioned requires and virtual provides included;
 * when several chain members could satisfy a require, A waits for all of them, so whichever dnf picks is
 * already there). Requires no member provides are left to the buildroot's other repositories. Strongly
 * connected components larger than one package are the cycles; every package also gets its critical-path
 * weight, the longest chain of work that still depends on it, which orders ready packages so the longest
 * chains start first.
 */
public final class ChainPlan {
    private final List<SourcePackage> packages;
    private final int[][] dependsOn;
    private final int[][] dependants;
    private final int[] component;
    private final List<int[]> cycles = new ArrayList<>();
    private final Map<Integer, List<Capability>> external = new HashMap<>();

    private ChainPlan(List<SourcePackage> packages) {
        this.packages = List.copyOf(packages);
        int n = packages.size();
        Map<String, List<Integer>> byProvideName = new HashMap<>();
        for (int i = 0; i < n; i++) {
            for (Capability p : packages.get(i).provides()) {
                byProvideName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(i);
            }
        }
        List<List<Integer>> deps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BitSet d = new BitSet(n);
            for (Capability r : packages.get(i).buildRequires()) {
                boolean found = false;
                for (int j : byProvideName.getOrDefault(r.name(), List.of())) {
                    if (j != i && satisfiedBy(r, packages.get(j))) {
                        d.set(j);
                        found = true;
                    }
                }
                if (!found && !r.name().startsWith("rpmlib(")) {
                    external.computeIfAbsent(i, k -> new ArrayList<>()).add(r);
                }
            }
            deps.add(d.stream().boxed().toList());
        }
        dependsOn = new int[n][];
        List<List<Integer>> rev = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rev.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            dependsOn[i] = deps.get(i).stream().mapToInt(Integer::intValue).toArray();
            for (int j : dependsOn[i]) {
                rev.get(j).add(i);
            }
        }
        dependants = new int[n][];
        for (int i = 0; i < n; i++) {
            dependants[i] = rev.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        component = new int[n];
        findComponents();
    }

    private static boolean satisfiedBy(Capability require, SourcePackage provider) {
        for (Capability p : provider.provides()) {
            if (p.satisfies(require)) {
                return true;
            }
        }
        return false;
    }

    public static ChainPlan of(List<SourcePackage> packages) {
        return new ChainPlan(packages);
    }

    /** Tarjan's algorithm without recursion (a distro has dependency chains thousands deep). */
    private void findComponents() {
        int n = packages.size();
        int[] index = new int[n];
        int[] low = new int[n];
        boolean[] onStack = new boolean[n];
        Arrays.fill(index, -1);
        Deque<Integer> stack = new ArrayDeque<>();
        int next = 0;
        int comp = 0;
        for (int root = 0; root < n; root++) {
            if (index[root] >= 0) {
                continue;
            }
            Deque<int[]> work = new ArrayDeque<>();
            work.push(new int[] {root, 0});
            while (!work.isEmpty()) {
                int[] frame = work.peek();
                int v = frame[0];
                if (frame[1] == 0 && index[v] < 0) {
                    index[v] = low[v] = next++;
                    stack.push(v);
                    onStack[v] = true;
                }
                if (frame[1] < dependsOn[v].length) {
                    int w = dependsOn[v][frame[1]++];
                    if (index[w] < 0) {
                        work.push(new int[] {w, 0});
                    } else if (onStack[w]) {
                        low[v] = Math.min(low[v], index[w]);
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    int parent = work.peek()[0];
                    low[parent] = Math.min(low[parent], low[v]);
                }
                if (low[v] == index[v]) {
                    List<Integer> members = new ArrayList<>();
                    int w;
                    do {
                        w = stack.pop();
                        onStack[w] = false;
                        component[w] = comp;
                        members.add(w);
                    } while (w != v);
                    if (members.size() > 1) {
                        cycles.add(members.stream().mapToInt(Integer::intValue).sorted().toArray());
                    }
                    comp++;
                }
            }
        }
    }

    public List<SourcePackage> packages() {
        return packages;
    }

    public int size() {
        return packages.size();
    }

    /** The chain members package {@code i} waits for. */
    public int[] dependsOn(int i) {
        return dependsOn[i].clone();
    }

    public int[] dependants(int i) {
        return dependants[i].clone();
    }

    /** Each dependency cycle as the indices of its members. */
    public List<int[]> cycles() {
        return List.copyOf(cycles);
    }

    /** True when i and j are in the same cycle. */
    public boolean sameCycle(int i, int j) {
        return component[i] == component[j];
    }

    /** BuildRequires of package i that no chain member provides (they must come from other repositories). */
    public List<Capability> externalRequires(int i) {
        return external.getOrDefault(i, List.of());
    }

    /** Names of a cycle's members, for messages: "liba-1.0-1 ↔ libb-2.0-1". */
    public String describeCycle(int[] members) {
        List<String> names = new ArrayList<>();
        for (int m : members) {
            names.add(packages.get(m).nvr());
        }
        return String.join(" <-> ", names);
    }

    /**
     * The critical-path weight of each package: its own duration plus the heaviest chain of dependants
     * after it. Edges inside a cycle are ignored (a cycle has no order to weigh).
     */
    public double[] criticalPathWeights(double[] durations) {
        int n = packages.size();
        double[] weight = new double[n];
        int[] pending = new int[n];
        Deque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            for (int d : dependants[i]) {
                if (!sameCycle(i, d)) {
                    pending[i]++;
                }
            }
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        while (!ready.isEmpty()) {
            int i = ready.poll();
            double best = 0;
            for (int d : dependants[i]) {
                if (!sameCycle(i, d)) {
                    best = Math.max(best, weight[d]);
                }
            }
            weight[i] = durations[i] + best;
            for (int p : dependsOn[i]) {
                if (!sameCycle(i, p) && --pending[p] == 0) {
                    ready.add(p);
                }
            }
        }
        return weight;
    }
}

package org.fedorabuild.hub.chain;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The order in which a chain's ready members start: classic list scheduling by bottom level, the longest
 * remaining path of work from a member to the end of the chain, counting for each package on it its expected
 * build time plus the repository publication its dependants wait for. Ties (common when no build time is known)
 * go to the member more packages wait on directly, then to the longer build, then to the earlier one in the
 * request.
 *
 * <p>Expected build times are what the hub knows before building: past durations of each package
 * ({@link ChainEstimates}). A member without history counts as the mean of the members with one; when no
 * member has any, all count the same and the order is by the number of packages on the longest path. The chain
 * driver and the benchmark ({@link ChainSimulation}) both order through this class.
 */
public final class ChainPriority {
    /** What a member without any history counts as when no member has one (only ratios matter then). */
    static final double DEFAULT_SECONDS = 600;

    private final double[] estimates;
    private final double[] bottomLevel;
    private final int[] fanOut;

    private ChainPriority(double[] estimates, double[] bottomLevel, int[] fanOut) {
        this.estimates = estimates;
        this.bottomLevel = bottomLevel;
        this.fanOut = fanOut;
    }

    /**
     * @param estimates expected seconds of each member's build, {@code NaN} where nothing is known
     * @param publicationLag expected seconds from a build's end until dependants can build against it
     */
    public static ChainPriority of(ChainPlan plan, double[] estimates, double publicationLag) {
        if (estimates.length != plan.size()) {
            throw new IllegalArgumentException(estimates.length + " estimates for a chain of " + plan.size());
        }
        double[] known = fill(estimates);
        double lag = Double.isFinite(publicationLag) && publicationLag > 0 ? publicationLag : 0;
        double[] weights = Arrays.stream(known).map(d -> d + lag).toArray();
        int[] fanOut = new int[plan.size()];
        for (int i = 0; i < plan.size(); i++) {
            for (int d : plan.dependants(i)) {
                if (!plan.sameCycle(i, d)) {
                    fanOut[i]++;
                }
            }
        }
        return new ChainPriority(known, plan.criticalPathWeights(weights), fanOut);
    }

    /** The members' order when nothing is known about their build times. */
    public static ChainPriority unknown(ChainPlan plan) {
        double[] none = new double[plan.size()];
        Arrays.fill(none, Double.NaN);
        return of(plan, none, 0);
    }

    /** Unknown (NaN, negative, infinite) estimates become the mean of the known ones, or the default. */
    static double[] fill(double[] estimates) {
        double[] known = Arrays.stream(estimates).filter(d -> Double.isFinite(d) && d >= 0).toArray();
        // the mean, not the median: a path's expected length is the sum of its members' expected times
        double mean = Arrays.stream(known).average().orElse(DEFAULT_SECONDS);
        return Arrays.stream(estimates).map(d -> Double.isFinite(d) && d >= 0 ? d : mean).toArray();
    }

    /** Expected seconds from the start of member i until the chain could end if nothing else delayed it. */
    public double bottomLevel(int i) {
        return bottomLevel[i];
    }

    /** Highest priority first. */
    public Comparator<Integer> order() {
        return Comparator.comparingDouble((Integer i) -> -bottomLevel[i])
                .thenComparingInt(i -> -fanOut[i])
                .thenComparingDouble(i -> -estimates[i])
                .thenComparingInt(i -> i);
    }
}

package org.fedorabuild.hub.chain;

/**
 * How many ready members a chain hands to the dispatcher in one round. The dispatcher takes one owner's tasks
 * oldest first, so whatever the chain has queued is a commitment: a member that becomes ready later, however
 * urgent ({@link ChainPriority}), starts only after them. The chain therefore keeps no more builds in flight
 * (queued, assigned or running) than the builders can run plus a small look-ahead, which keeps the builders
 * fed between rounds and shows the pool manager demand beyond the builders up now, so a pool grows under a
 * chain (by the look-ahead each time its new builders come up).
 */
public final class ChainPacing {
    /** The look-ahead as a share of the builders' capacity (at least one build). */
    static final double LOOK_AHEAD = 0.125;

    private ChainPacing() {
    }

    /**
     * @param capacity the enabled builders' capacity
     * @param inFlight this chain's builder tasks queued, assigned or running
     * @return members to start now (0 when the chain already has enough in flight)
     */
    public static int slots(double capacity, long inFlight) {
        long limit = (long) Math.ceil(capacity) + Math.max(1, (long) Math.ceil(capacity * LOOK_AHEAD));
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, limit - inFlight));
    }
}

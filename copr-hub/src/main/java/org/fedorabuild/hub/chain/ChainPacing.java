package org.fedorabuild.hub.chain;

/**
 * How many ready members a chain hands to the dispatcher in one round. The dispatcher takes one owner's tasks
 * oldest first, so whatever the chain has queued is a commitment: a member that becomes ready later, however
 * urgent ({@link ChainPriority}), starts only after them, and on a long chain such waits add up level after
 * level. The chain therefore keeps in flight (queued, assigned or running) what the builders can run plus one
 * build: enough to keep them fed between rounds, and to show the pool manager demand beyond the builders that
 * are up or starting, so a pool grows under a chain by a builder a round.
 */
public final class ChainPacing {
    /** Builds queued beyond what the builders can take. */
    static final int LOOK_AHEAD = 1;

    private ChainPacing() {
    }

    /**
     * @param capacity the capacity of the enabled builders and of those starting
     * @param inFlight the weight of this chain's builder tasks queued, assigned or running
     * @return members to start now (0 when the chain already has enough in flight)
     */
    public static int slots(double capacity, double inFlight) {
        double room = Math.ceil(capacity - 1e-9) + LOOK_AHEAD - inFlight;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, Math.ceil(room - 1e-9)));
    }
}

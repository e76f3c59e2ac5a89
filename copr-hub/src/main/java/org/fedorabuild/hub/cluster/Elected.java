package org.fedorabuild.hub.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background duty that one hub at a time performs (the chain driver, finishing publications a dead hub
 * left): each round first takes or renews the lease {@code duty:NAME}, and only its holder does the round.
 * A hub that dies stops renewing, so another takes the duty within the lease time; a clean shutdown hands
 * it over at once ({@link Leases#releaseAll}).
 */
public final class Elected {
    private static final Logger LOG = LoggerFactory.getLogger(Elected.class);

    private final Leases leases;
    private final String name;
    private volatile boolean leading;

    public Elected(Leases leases, String duty) {
        this.leases = leases;
        this.name = "duty:" + duty;
    }

    /** Takes or renews the duty; true when this hub is to do this round. A database error counts as not leading. */
    public boolean leading() {
        boolean now;
        try {
            now = leases.hold(name).isPresent();
        } catch (RuntimeException e) {
            LOG.warn("Hub {} - cannot renew {}: {}", leases.instanceId(), name, e.toString());
            now = false;
        }
        if (now != leading) {
            LOG.info("Hub {} - {} {}", leases.instanceId(), now ? "now performs" : "no longer performs", name);
        }
        leading = now;
        return now;
    }
}

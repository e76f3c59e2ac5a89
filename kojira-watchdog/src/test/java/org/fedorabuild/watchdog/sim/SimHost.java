package org.fedorabuild.watchdog.sim;

import java.util.HashSet;
import java.util.Set;

/**
 * A row of Koji's {@code host} table as the simulated hub keeps it. Tests may set the public fields directly
 * (an operator's {@code enabled = false}, a comment) while holding no lock: the hub reads them per call.
 */
public final class SimHost {
    public final long id;
    public final String name;
    final SimUser user;
    public String arches = "x86_64";
    public double capacity = 2.0;
    public boolean enabled = true;
    public boolean ready;
    public double taskLoad;
    public Double updateTs;
    public String comment;
    public final Set<Long> channelIds = new HashSet<>();

    SimHost(long id, String name, SimUser user) {
        this.id = id;
        this.name = name;
        this.user = user;
    }
}

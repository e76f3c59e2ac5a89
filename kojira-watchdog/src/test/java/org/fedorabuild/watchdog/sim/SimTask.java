package org.fedorabuild.watchdog.sim;

import java.util.LinkedHashMap;
import java.util.Map;

/** A row of Koji's {@code task} table; {@link #state} uses Koji's numbers (0 FREE … 5 FAILED). */
public final class SimTask {
    /** Koji's TASK_STATES, by number. */
    static final String[] STATES = {"FREE", "OPEN", "CLOSED", "CANCELED", "ASSIGNED", "FAILED"};

    public final long id;
    public int state;
    public Long hostId;
    public final String method;
    public String arch = "noarch";
    public long channelId;
    public final double createTs;
    public Double startTs;
    public Double completionTs;
    public Boolean waiting;
    public Long parent;
    public final long owner;
    /** file name → {size, mtime} */
    public final Map<String, double[]> outputs = new LinkedHashMap<>();

    SimTask(long id, String method, double createTs, long owner) {
        this.id = id;
        this.method = method;
        this.createTs = createTs;
        this.owner = owner;
    }

    /** CLOSED, CANCELED or FAILED: Koji refuses to free these. */
    boolean finished() {
        return state == 2 || state == 3 || state == 5;
    }
}

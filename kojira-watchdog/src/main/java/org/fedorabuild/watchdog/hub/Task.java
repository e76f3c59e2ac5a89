package org.fedorabuild.watchdog.hub;

/**
 * An OPEN or ASSIGNED task as {@code listTasks} describes it. A task run is identified by
 * {@link #runKey()}: the same task freed and opened again by another host (or the same host later) is a new
 * run.
 */
public record Task(long id, int state, Long hostId, String method, String arch, Long channelId, Double createTs,
        Double startTs, boolean waiting, Long parent) {
    public static final int FREE = 0;
    public static final int OPEN = 1;
    public static final int CLOSED = 2;
    public static final int CANCELED = 3;
    public static final int ASSIGNED = 4;
    public static final int FAILED = 5;

    public boolean open() {
        return state == OPEN;
    }

    public boolean assigned() {
        return state == ASSIGNED;
    }

    public RunKey runKey() {
        return new RunKey(id, hostId == null ? -1 : hostId, startTs == null ? 0.0 : startTs);
    }

    public static String stateName(int state) {
        return switch (state) {
            case FREE -> "FREE";
            case OPEN -> "OPEN";
            case CLOSED -> "CLOSED";
            case CANCELED -> "CANCELED";
            case ASSIGNED -> "ASSIGNED";
            case FAILED -> "FAILED";
            default -> "STATE" + state;
        };
    }

    /** One run of a task on one host: task id, host id and the run's {@code start_ts} (0 before it opened). */
    public record RunKey(long taskId, long hostId, double startTs) {
    }
}

package org.fedorabuild.watchdog.hub;

import org.fedorabuild.compat.state.TaskState;

/**
 * An OPEN or ASSIGNED task as {@code listTasks} describes it. A task run is identified by
 * {@link #runKey()}: the same task freed and opened again by another host (or the same host later) is a new
 * run.
 */
public record Task(long id, int state, Long hostId, String method, String arch, Long channelId, Double createTs,
        Double startTs, boolean waiting, Long parent) {
    // Shorthands for the codes of the one definition, TaskState (fedpkg-compat).
    public static final int FREE = TaskState.FREE.code;
    public static final int OPEN = TaskState.OPEN.code;
    public static final int CLOSED = TaskState.CLOSED.code;
    public static final int CANCELED = TaskState.CANCELED.code;
    public static final int ASSIGNED = TaskState.ASSIGNED.code;
    public static final int FAILED = TaskState.FAILED.code;

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
        return TaskState.nameOf(state);
    }

    /** One run of a task on one host: task id, host id and the run's {@code start_ts} (0 before it opened). */
    public record RunKey(long taskId, long hostId, double startTs) {
    }
}

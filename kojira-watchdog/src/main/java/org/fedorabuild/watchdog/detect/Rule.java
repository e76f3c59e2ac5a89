package org.fedorabuild.watchdog.detect;

/**
 * The named rules. Their names appear in logs, {@code check} output, the audit table and metrics labels;
 * operators grep for them, so they are part of the interface.
 */
public enum Rule {
    /** A host silent longer than host_grace: its OPEN and ASSIGNED tasks are freed (and the host fenced). */
    STALE_HOST("stale-host"),
    /** A task still OPEN or ASSIGNED on a disabled, still-living host past disabled_task_deadline. */
    DISABLED_HOST_TASK("disabled-host-task"),
    /** An ASSIGNED task nobody opened within assign_timeout. */
    ASSIGNED_NOT_OPENED("assigned-not-opened"),
    /** An OPEN task on a live host whose output has not grown for hung_task_timeout. */
    HUNG_TASK("hung-task"),
    /** Re-enabling a host this watchdog fenced, after it checked in healthily for fence_release. */
    FENCE_RELEASE("fence-release"),
    /** Draining a host: disable, wait, free at the deadline, decommission. */
    DRAIN("drain"),
    /** A safety rail stopped the cycle's actions. */
    GUARD("guard");

    private final String label;

    Rule(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}

package org.fedorabuild.watchdog.guard;

/** What became of a decision. The labels are written to the audit table and printed; operators grep them. */
public enum Outcome {
    /** Passed every guard: the executor acts (and replaces this with the hub's answer). */
    ACT("act", false),
    DRY_RUN("dry-run", false),
    /** The stale-fraction guard tripped this cycle. */
    GUARD_STALE_FRACTION("guard: stale fraction", false),
    /** Warm-up after an observed outage. */
    GUARD_WARMUP("guard: outage warm-up", false),
    /** Over max_frees_per_cycle: left for the next cycle. */
    RATE_LIMITED("guard: rate limit", false),
    /** This task run was already freed or canceled once. */
    ALREADY_DONE("guard: run already freed", false),
    /** The re-check just before acting saw the task elsewhere (another host's run now). */
    SKIPPED_MOVED("skipped: task moved", false),
    FREED("freed", true),
    CANCELED("canceled", true),
    FENCED("fenced", true),
    UNFENCED("unfenced", true),
    FAILED("failed", false),
    /** A report only (e.g. the guard decision itself). */
    REPORTED("reported", false);

    private final String label;
    private final boolean changedHub;

    Outcome(String label, boolean changedHub) {
        this.label = label;
        this.changedHub = changedHub;
    }

    public String label() {
        return label;
    }

    /** True for outcomes that changed something on the hub (what plain {@code audit} lists). */
    public boolean changedHub() {
        return changedHub;
    }
}

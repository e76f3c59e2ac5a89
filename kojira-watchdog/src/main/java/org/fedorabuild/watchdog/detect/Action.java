package org.fedorabuild.watchdog.detect;

/** What a decision asks of the hub. */
public enum Action {
    /** {@code freeTask(id)}: back to FREE, another builder takes it. */
    FREE("free"),
    /** {@code cancelTask(id)}. */
    CANCEL("cancel"),
    /** {@code disableHost(name)} + {@code editHost(name, comment=…)}. */
    FENCE("fence"),
    /** {@code enableHost(name)} + the comment it had before. */
    UNFENCE("unfence"),
    /** Nothing on the hub: a report only. */
    NONE("none");

    private final String label;

    Action(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean changesTask() {
        return this == FREE || this == CANCEL;
    }
}

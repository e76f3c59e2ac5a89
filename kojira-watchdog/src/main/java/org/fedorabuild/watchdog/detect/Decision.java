package org.fedorabuild.watchdog.detect;

import org.fedorabuild.watchdog.hub.Host;
import org.fedorabuild.watchdog.hub.Task;

/**
 * One judgement of a rule: which host (and task, or null for host-level decisions), why (the evidence with its
 * numbers), and the action it calls for. Guards and the executor add the outcome.
 */
public record Decision(Rule rule, Host host, Task task, String evidence, Action action) {

    public String hostName() {
        return host == null ? "-" : host.name();
    }

    /** {@code task N} or {@code -}: the form operators grep for. */
    public String taskLabel() {
        return task == null ? "-" : "task " + task.id();
    }
}

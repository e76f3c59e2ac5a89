package org.fedorabuild.hub.retention;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a prune keeps in one project: the hub's {@code [retention]} values with the project's overrides
 * ({@code copr-hub project set OWNER/PROJECT KEY=VALUE}) applied. Zero means "never prune by this rule".
 *
 * @param keepBuilds  successful builds kept per package per chroot: the N most recently completed
 * @param failedDays  failed or canceled build tasks older than this lose their outputs
 * @param scratchDays scratch build tasks older than this lose their outputs
 * @param logs        what happens to the logs of what is pruned
 */
public record Policy(int keepBuilds, int failedDays, int scratchDays, LogAction logs) {

    /** This policy with {@code overrides} (keys as in {@link RetentionKeys#PROJECT_KEYS}, values already valid). */
    public Policy with(Map<String, String> overrides) {
        Policy p = this;
        for (var e : overrides.entrySet()) {
            Object v = RetentionKeys.parseValue(e.getKey(), e.getValue());
            p = switch (e.getKey()) {
                case "keep_builds" -> new Policy((Integer) v, p.failedDays, p.scratchDays, p.logs);
                case "failed_days" -> new Policy(p.keepBuilds, (Integer) v, p.scratchDays, p.logs);
                case "scratch_days" -> new Policy(p.keepBuilds, p.failedDays, (Integer) v, p.logs);
                case "logs" -> new Policy(p.keepBuilds, p.failedDays, p.scratchDays, (LogAction) v);
                default -> p;
            };
        }
        return p;
    }

    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("keep_builds", String.valueOf(keepBuilds));
        m.put("failed_days", String.valueOf(failedDays));
        m.put("scratch_days", String.valueOf(scratchDays));
        m.put("logs", logs.key());
        return m;
    }
}

package org.fedorabuild.hub.retention;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated {@code [retention]} section of the hub configuration.
 *
 * @param policy           the hub-wide policy; projects may override its keys
 * @param uploadAge        uploads nobody built from are deleted after this ({@code upload_hours}; the one
 *                         source of truth, also what {@code BuildSettings.uploadMaxAge} carries)
 * @param schedule         Quartz cron expression of the prune inside {@code serve}; null: no scheduled prune
 * @param idleBuilder      scale-up builders idle this long are retired; zero: never
 * @param decommissionHook command (split on spaces, {@code {host}} replaced, {@code $KOJI_HOST} set) run
 *                         once for a retired scale-up builder; empty: only disabled
 * @param hookTimeout      longest the hook may run
 */
public record RetentionSettings(Policy policy, Duration uploadAge, String schedule, Duration idleBuilder,
        List<String> decommissionHook, Duration hookTimeout) {

    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>(policy.describe());
        m.put("upload_hours", org.fedorabuild.compat.profile.ConfigValues.formatDuration(uploadAge, "h"));
        m.put("schedule", schedule == null ? "" : schedule);
        m.put("idle_builder_hours", org.fedorabuild.compat.profile.ConfigValues.formatDuration(idleBuilder, "h"));
        m.put("decommission_hook", String.join(" ", decommissionHook));
        m.put("decommission_timeout", org.fedorabuild.compat.profile.ConfigValues.formatDuration(hookTimeout, "s"));
        return m;
    }
}

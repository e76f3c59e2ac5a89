package org.fedorabuild.hub.retention;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.process.Command;
import org.fedorabuild.process.CommandException;
import org.fedorabuild.process.CommandResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retires builders created for a scale-up ({@code hosts.scaleup}) once idle past {@code idle_builder_hours}:
 * with no FREE/OPEN/ASSIGNED task, and neither a task ended nor the flag set within that time. The host is
 * disabled with a comment (one conditional UPDATE, so a task assigned meanwhile keeps it), a
 * {@code builder_retirements} row makes this happen once per host, and then the {@code decommission_hook}
 * runs with kojira-watchdog's contract: split on spaces, no shell, {@code {host}} replaced, {@code $KOJI_HOST}
 * set, stdin closed, killed after {@code decommission_timeout}. Pointing it at
 * {@code kojira-watchdog drain {host}} hands the builder to the watchdog's drain and decommission path.
 */
public final class ScaleupReaper {
    private static final Logger LOG = LoggerFactory.getLogger(ScaleupReaper.class);
    static final String COMMENT = "copr-hub retention: idle scale-up builder retired";

    private final Db db;
    private final RetentionSettings settings;

    public ScaleupReaper(Db db, RetentionSettings settings) {
        this.db = db;
        this.settings = settings;
    }

    /** Returns one line per builder retired (or, dry, that would be). */
    public List<String> run(boolean dryRun) {
        List<String> lines = new ArrayList<>();
        if (settings.idleBuilder().isZero()) {
            return lines;
        }
        var idle = db.query("SELECT h.id, h.name, s.idle_since FROM hosts h, LATERAL (SELECT GREATEST(h.scaleup_time,"
                + " (SELECT max(COALESCE(t.completion_time, t.start_time, t.create_time)) FROM tasks t WHERE t.host_id = h.id))"
                + " AS idle_since) s WHERE h.scaleup AND h.enabled"
                + " AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.host_id = h.id AND t.state IN (0, 1, 4))"
                + " AND NOT EXISTS (SELECT 1 FROM builder_retirements r WHERE r.host_id = h.id)"
                + " AND (s.idle_since IS NULL OR s.idle_since < now() - make_interval(secs => ?)) ORDER BY h.name",
                (double) settings.idleBuilder().toSeconds());
        for (var h : idle) {
            String name = (String) h.get("name");
            if (dryRun) {
                lines.add("would retire builder " + name + " (idle since " + h.get("idle_since") + ")");
                continue;
            }
            String hook = settings.decommissionHook().isEmpty() ? null : String.join(" ", settings.decommissionHook());
            boolean retired = db.tx(() -> {
                if (db.update("UPDATE hosts SET enabled = false, comment = ? WHERE id = ? AND enabled AND NOT EXISTS"
                        + " (SELECT 1 FROM tasks t WHERE t.host_id = hosts.id AND t.state IN (0, 1, 4))",
                        COMMENT + " (idle since " + h.get("idle_since") + ")", h.get("id")) == 0) {
                    return false;
                }
                return db.update("INSERT INTO builder_retirements (host_id, host_name, idle_since, hook) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (host_id) DO NOTHING", h.get("id"), name, h.get("idle_since"), hook) == 1;
            });
            if (!retired) {
                continue;
            }
            String result = hook == null ? "disabled; no decommission_hook configured" : runHook(name);
            db.update("UPDATE builder_retirements SET result = ?, finish_time = now() WHERE host_id = ?", result, h.get("id"));
            LOG.info("[host={}] idle scale-up builder retired: {}", name, result);
            lines.add("retired builder " + name + ": " + result);
        }
        return lines;
    }

    private String runHook(String host) {
        List<String> argv = new ArrayList<>();
        settings.decommissionHook().forEach(t -> argv.add(t.replace("{host}", host)));
        try {
            CommandResult r = Command.of(argv).env("KOJI_HOST", host).timeout(settings.hookTimeout()).outputLimit(4096).run();
            String out = r.output().strip();
            out = out.length() > 500 ? out.substring(out.length() - 500) : out;
            if (!r.ok()) {
                LOG.warn("[host={}] decommission hook '{}' exited {}: {}", host, String.join(" ", argv), r.exitCode(), out);
                return "error: '" + String.join(" ", argv) + "' exited " + r.exitCode() + (out.isEmpty() ? "" : ": " + out);
            }
            return "ok: hook '" + String.join(" ", argv) + "'" + (out.isEmpty() ? "" : ": " + out);
        } catch (CommandException e) {
            LOG.warn("[host={}] decommission hook '{}' failed: {}", host, String.join(" ", argv), e.getMessage());
            return "error: " + e.getMessage();
        }
    }
}

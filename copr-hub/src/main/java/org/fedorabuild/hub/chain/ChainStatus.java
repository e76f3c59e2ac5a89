package org.fedorabuild.hub.chain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedorabuild.hub.db.Db;

/**
 * A chain's progress as {@code coprChainStatus} and {@code copr-hub chain status} show it, and as its
 * parent task's result holds it when it ends: counts by state, what runs now, and every package not built
 * with the reason (the failed build's error, the cycle, or the failed package it needed).
 */
public final class ChainStatus {
    public static final List<String> STATES = List.of("WAITING", "READY", "RUNNING", "BUILT", "FAILED", "SKIPPED");

    private ChainStatus() {
    }

    public static Optional<Map<String, Object>> of(Db db, int chainId) {
        var c = db.queryOne("SELECT c.task_id, c.state, c.target, c.ordered, c.cycles, c.cycle_attempts, c.message,"
                + " array_to_string(c.extra_repos, E'\\n') AS extra_repos, u.name || '/' || p.name AS project"
                + " FROM chains c JOIN projects p ON p.id = c.project_id JOIN users u ON u.id = p.owner_id WHERE c.task_id = ?",
                chainId).orElse(null);
        if (c == null) {
            return Optional.empty();
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", chainId);
        s.put("state", c.get("state"));
        s.put("project", c.get("project"));
        s.put("target", c.get("target"));
        s.put("mode", Boolean.TRUE.equals(c.get("ordered")) ? "levels" : "dependency order");
        s.put("cycles", c.get("cycles"));
        s.put("cycle_attempts", c.get("cycle_attempts"));
        s.put("extra_repos", Buildroots.lines(c.get("extra_repos")));
        Map<String, Object> counts = new LinkedHashMap<>();
        STATES.forEach(st -> counts.put(st, 0));
        List<Object> running = new ArrayList<>();
        List<Object> failures = new ArrayList<>();
        int total = 0;
        int attempts = 0;
        for (var m : db.query("SELECT idx, level, source, nvr, state, reason, attempts, build_task_id FROM chain_members"
                + " WHERE chain_id = ? ORDER BY idx", chainId)) {
            total++;
            attempts += (Integer) m.get("attempts");
            String st = (String) m.get("state");
            counts.merge(st, 1, (a, b) -> (Integer) a + (Integer) b);
            if (st.equals("RUNNING") || st.equals("FAILED") || st.equals("SKIPPED")) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("package", m.get("nvr") != null ? m.get("nvr") : m.get("source"));
                e.put("source", m.get("source"));
                e.put("state", st);
                e.put("attempts", m.get("attempts"));
                e.put("task_id", m.get("build_task_id"));
                if (!st.equals("RUNNING")) {
                    e.put("reason", m.get("reason"));
                }
                (st.equals("RUNNING") ? running : failures).add(e);
            }
        }
        s.put("total", total);
        s.put("counts", counts);
        s.put("attempts", attempts);
        s.put("running", running);
        s.put("failures", failures);
        s.put("message", c.get("message"));
        return Optional.of(s);
    }

    /** One line per fact, for the CLI and the chain's log. */
    public static String text(Map<?, ?> s) {
        StringBuilder b = new StringBuilder();
        b.append("chain ").append(s.get("id")).append(" (").append(s.get("project")).append(", target ").append(s.get("target"))
                .append(", ").append(s.get("mode")).append(", cycles: ").append(s.get("cycles")).append("): ").append(s.get("state"))
                .append('\n');
        b.append("  ").append(s.get("total")).append(" package(s):");
        ((Map<?, ?>) s.get("counts")).forEach((k, v) -> {
            if (((Number) v).intValue() > 0) {
                b.append(' ').append(k.toString().toLowerCase()).append(' ').append(v);
            }
        });
        b.append("; build attempts ").append(s.get("attempts")).append('\n');
        if (s.get("message") != null) {
            b.append("  ").append(s.get("message")).append('\n');
        }
        for (Object o : (List<?>) s.get("running")) {
            Map<?, ?> r = (Map<?, ?>) o;
            b.append("  running: ").append(r.get("package")).append(" (task ").append(r.get("task_id")).append(", attempt ")
                    .append(r.get("attempts")).append(")\n");
        }
        for (Object o : (List<?>) s.get("failures")) {
            Map<?, ?> f = (Map<?, ?>) o;
            b.append("  ").append(String.valueOf(f.get("state")).toLowerCase()).append(": ").append(f.get("package"));
            if (f.get("task_id") != null) {
                b.append(" (task ").append(f.get("task_id")).append(")");
            }
            b.append(": ").append(f.get("reason")).append('\n');
        }
        return b.toString();
    }
}

package org.fedorabuild.hub.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.hub.namespace.CoprName;
import org.fedorabuild.hub.namespace.Projects;
import org.fedorabuild.hub.retention.Policy;
import org.fedorabuild.hub.retention.PruneItem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code copr-hub project set} and {@code project show}: per-project retention, roles and disk usage. */
final class ProjectRetentionCommands {
    private ProjectRetentionCommands() {
    }

    static Projects.Project find(AdminSession s, String name) {
        CoprName copr = CoprName.parse(name);
        return s.services.projects.find(copr).orElseThrow(() -> new GenericError("No such project: " + copr));
    }

    @Command(name = "set", description = {"Override [retention] keys for one project: keep_builds, failed_days, scratch_days, logs.",
            "KEY= (empty) removes the override.", "enable_net=yes|no: network inside the project's build sandboxes (default no)."})
    static final class Set implements Callable<Integer> {
        @Mixin
        HubOptions options;

        @Parameters(index = "0", paramLabel = "OWNER/PROJECT")
        String name;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE")
        List<String> settings = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (AdminSession s = new AdminSession(options)) {
                Policy effective = s.tx(() -> {
                    Projects.Project p = find(s, name);
                    for (String kv : settings) {
                        int eq = kv.indexOf('=');
                        if (eq <= 0) {
                            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "expected KEY=VALUE, got '" + kv + "'");
                        }
                        if (kv.substring(0, eq).equalsIgnoreCase(ENABLE_NET)) {
                            boolean on = flag(kv.substring(eq + 1));
                            s.services.db.update("UPDATE projects SET enable_net = ? WHERE id = ?", on, p.id());
                            spec.commandLine().getOut().println("Network during builds of " + p.name() + ": " + (on ? "on" : "off"));
                            continue;
                        }
                        s.services.retention.projects.set(p.id(), kv.substring(0, eq), kv.substring(eq + 1));
                    }
                    return s.services.retention.projects.effective(p.id());
                });
                PrintWriter out = spec.commandLine().getOut();
                out.println("Retention of " + CoprName.parse(name) + ": " + effective.describe());
                return 0;
            }
        }
    }

    /** The project key of {@code project set} that is not a retention key: Copr's {@code enable_net}. */
    static final String ENABLE_NET = "enable_net";

    static boolean flag(String v) {
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "yes", "on", "true", "1" -> true;
            case "no", "off", "false", "0" -> false;
            default -> throw new GenericError("enable_net must be yes or no, got '" + v + "'");
        };
    }

    @Command(name = "show", description = "Chroots, roles, retention (effective and overrides), builds and disk usage of a project.")
    static final class Show implements Callable<Integer> {
        @Mixin
        HubOptions options;

        @Parameters(paramLabel = "OWNER/PROJECT")
        String name;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (AdminSession s = new AdminSession(options)) {
                PrintWriter out = spec.commandLine().getOut();
                s.tx(() -> {
                    Projects.Project p = find(s, name);
                    var db = s.services.db;
                    out.println("Project " + p.name() + " (id " + p.id() + ")");
                    for (var c : db.query("SELECT name, enabled FROM project_chroots WHERE project_id = ? ORDER BY name", p.id())) {
                        out.println("  chroot " + c.get("name") + (Boolean.TRUE.equals(c.get("enabled")) ? "" : " (disabled)"));
                    }
                    for (var r : db.query("SELECT u.name, pp.role FROM project_perms pp JOIN users u ON u.id = pp.user_id"
                            + " WHERE pp.project_id = ? ORDER BY pp.role, u.name", p.id())) {
                        out.println("  role " + r.get("role") + ": " + r.get("name"));
                    }
                    out.println("  role owner: " + p.name().owner());
                    out.println("  network during builds (enable_net): " + (Boolean.TRUE.equals(db.scalar(
                            "SELECT enable_net FROM projects WHERE id = ?", p.id()).orElse(false)) ? "on" : "off"));
                    Map<String, String> overrides = s.services.retention.projects.overrides(p.id());
                    out.println("Retention (effective; * = project override):");
                    s.services.retention.projects.effective(p.id()).describe()
                            .forEach((k, v) -> out.println("  " + k + " = " + v + (overrides.containsKey(k) ? " *" : "")));
                    out.println("Builds:");
                    for (var r : db.query("SELECT pc.name AS chroot, count(*) FILTER (WHERE b.state = 1) AS complete,"
                            + " count(*) FILTER (WHERE b.state = 2) AS deleted FROM project_chroots pc LEFT JOIN builds b"
                            + " ON b.chroot_id = pc.id WHERE pc.project_id = ? GROUP BY pc.name ORDER BY pc.name", p.id())) {
                        out.println("  " + r.get("chroot") + ": " + r.get("complete") + " complete, " + r.get("deleted") + " deleted");
                    }
                    out.println("Disk usage (" + s.config.builds().storageRoot() + "):");
                    Map<String, Long> usage = s.services.retention.usage.chroots(p.name().owner(), p.name().project());
                    long total = 0;
                    for (var e : usage.entrySet()) {
                        out.println("  " + e.getKey() + "  " + PruneItem.human(e.getValue()) + " (" + e.getValue() + " bytes)");
                        total += e.getValue();
                    }
                    long all = s.services.retention.usage.projects(0).getOrDefault(p.name().toString(), total);
                    out.println("  total  " + PruneItem.human(all) + " (" + all + " bytes)");
                    return null;
                });
                out.flush();
                return 0;
            }
        }
    }
}

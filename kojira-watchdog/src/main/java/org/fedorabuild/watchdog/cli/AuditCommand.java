package org.fedorabuild.watchdog.cli;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedorabuild.watchdog.audit.AuditTrail;
import org.fedorabuild.watchdog.config.WatchdogConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code audit [--all]}: the actions that changed something on the hub, oldest first. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Lists the actions that changed something on the hub, one line each:",
            "time, rule, host, task N, outcome, evidence. --all adds decisions not acted on (dry runs, guard trips)."})
final class AuditCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    @Mixin
    ConfigMixin config;

    @Option(names = "--all", description = "also the decisions not acted on")
    boolean all;

    @Option(names = "--limit", defaultValue = "200", description = "at most this many rows (newest), default ${DEFAULT-VALUE}")
    int limit;

    @Override
    public Integer call() {
        WatchdogConfig cfg = config.load();
        try (WatchdogContext ctx = new WatchdogContext(cfg, 2)) {
            List<AuditTrail.AuditRow> rows = ctx.store.trail().list(all, limit);
            for (int i = rows.size() - 1; i >= 0; i--) {
                System.out.println(line(rows.get(i)));
            }
        }
        return 0;
    }

    static String line(AuditTrail.AuditRow r) {
        return String.format("%s  %-19s %-16s %-10s %-26s %s", TIME.format(r.at()), r.rule(),
                r.hostName() == null ? "-" : r.hostName(), r.taskId() == null ? "-" : "task " + r.taskId(), r.outcome(),
                r.evidence());
    }
}

package org.fedorabuild.watchdog.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.fedorabuild.compat.client.KojiConnectionException;
import org.fedorabuild.compat.profile.ConfigValues;
import org.fedorabuild.watchdog.audit.DrainStore;
import org.fedorabuild.watchdog.config.WatchdogConfig;
import org.fedorabuild.watchdog.cycle.CycleReport;
import org.fedorabuild.watchdog.drain.Decommissioner;
import org.fedorabuild.watchdog.drain.Drainer;
import org.fedorabuild.watchdog.guard.Verdict;
import org.fedorabuild.watchdog.hub.FleetSnapshot;
import org.fedorabuild.watchdog.hub.Host;
import org.fedorabuild.watchdog.hub.HubReadException;
import org.fedorabuild.watchdog.hub.HubSession;
import org.fedorabuild.watchdog.hub.SnapshotReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code drain HOST [--deadline DURATION]}: disable, wait for its tasks, free the rest at the deadline, decommission. */
@Command(name = "drain", mixinStandardHelpOptions = true,
        description = {"Disables HOST with a comment, waits for its tasks (frees what remains at the deadline, hub clock),",
            "then decommissions it (builder_stop_command over SSH, then decommission_hook). Recorded in the database:",
            "a running service carries the drain on if this command is interrupted or run with --no-wait."})
final class DrainCommand implements Callable<Integer> {
    @Mixin
    ConfigMixin config;

    @Parameters(index = "0", paramLabel = "HOST", description = "the Koji host name")
    String host;

    @Option(names = "--deadline", paramLabel = "DURATION", description = "e.g. 90m, 2h; default drain_deadline")
    String deadline;

    @Option(names = "--poll", paramLabel = "DURATION", defaultValue = "10s", description = "how often to look, default ${DEFAULT-VALUE}")
    String poll;

    @Option(names = "--no-wait", description = "start the drain and return")
    boolean noWait;

    @Override
    public Integer call() throws Exception {
        WatchdogConfig cfg = config.load();
        Duration due = deadline == null ? cfg.drain().defaultDeadline() : ConfigValues.parseDuration(deadline);
        Duration every = ConfigValues.parseDuration(poll);
        try (WatchdogContext ctx = new WatchdogContext(cfg, 2)) {
            Drainer drainer = new Drainer(cfg, ctx.store, new Decommissioner(cfg.drain()), null);
            try (HubSession hub = HubSession.open(cfg.hub())) {
                FleetSnapshot s = new SnapshotReader(hub).read();
                Host h = s.host(host);
                if (h == null) {
                    System.out.println("error  no host named " + host + " on the hub");
                    return 2;
                }
                Verdict v = drainer.start(hub, s, h, due, "operator drain");
                ctx.store.trail().record("drain-" + host, s.hubNow(), java.util.List.of(v));
                System.out.println(CycleReport.line(v));
            }
            if (noWait) {
                return 0;
            }
            while (true) {
                try (HubSession hub = HubSession.open(cfg.hub())) {
                    FleetSnapshot s = new SnapshotReader(hub).read();
                    java.util.List<Verdict> verdicts = drainer.step(hub, s, host);
                    verdicts.forEach(v -> System.out.println(CycleReport.line(v)));
                    ctx.store.trail().record("drain-" + host, s.hubNow(), verdicts);
                } catch (HubReadException | KojiConnectionException e) {
                    System.out.println("error  " + e.getMessage() + "; retrying");
                }
                DrainStore.DrainRow row = ctx.store.drains().list(false).stream().filter(r -> r.hostName().equals(host))
                        .reduce((a, b) -> b).orElseThrow();
                if (row.state().equals("done")) {
                    System.out.println("drain   " + host + " done: " + row.detail());
                    return 0;
                }
                if (row.state().equals("failed")) {
                    System.out.println("drain   " + host + " FAILED: " + row.detail());
                    return WatchdogMain.DECOMMISSION_FAILED;
                }
                Thread.sleep(every.toMillis());
            }
        }
    }
}

package org.fedorabuild.watchdog.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fedorabuild.watchdog.config.WatchdogConfig;
import org.fedorabuild.watchdog.detect.Memory;
import org.fedorabuild.watchdog.detect.Rules;
import org.fedorabuild.watchdog.hub.FleetSnapshot;
import org.fedorabuild.watchdog.hub.Host;
import org.fedorabuild.watchdog.hub.HubReadException;
import org.fedorabuild.watchdog.hub.HubSession;
import org.fedorabuild.watchdog.hub.SnapshotReader;
import org.fedorabuild.watchdog.hub.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code status}: the fleet at a glance, judged on the hub's clock; changes nothing. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows every host: enabled, ready, last check-in (seconds ago on the hub's clock), load, tasks held, verdict.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ConfigMixin config;

    @picocli.CommandLine.Option(names = "--scale", description = "also print the scale signal: queued tasks vs free capacity per channel and arch")
    boolean scale;

    @Override
    public Integer call() {
        WatchdogConfig cfg = config.load();
        try (WatchdogContext ctx = new WatchdogContext(cfg, 2); HubSession hub = HubSession.open(cfg.hub())) {
            FleetSnapshot s;
            try {
                s = new SnapshotReader(hub).read();
            } catch (HubReadException e) {
                System.out.println("error  " + e.getMessage());
                return WatchdogMain.HUB_UNREADABLE;
            }
            Memory m = ctx.store.memory().load(s);
            Map<Long, List<Task>> tasks = s.tasksByHost();
            System.out.printf("%-24s %-4s %-4s %12s %9s %6s  %s%n", "HOST", "ENB", "RDY", "LAST CHECKIN", "LOAD/CAP",
                    "TASKS", "VERDICT");
            int stale = 0;
            for (Host h : s.hosts()) {
                boolean isStale = Rules.isStale(h, s.hubNow(), cfg.policy().hostGrace());
                String verdict = m.draining().contains(h.id()) ? "draining"
                        : m.fenced().containsKey(h.id()) ? "fenced"
                        : h.lastSeen() == null ? "never checked in"
                        : isStale ? "STALE" : !h.enabled() ? "disabled" : "ok";
                if (isStale && h.enabled() && h.lastSeen() != null) {
                    stale++;
                }
                long silent = h.silentSeconds(s.hubNow());
                System.out.printf("%-24s %-4s %-4s %12s %4.1f/%-4.1f %6d  %s%n", h.name(), h.enabled() ? "Y" : "N",
                        h.ready() ? "Y" : "N", silent < 0 ? "-" : silent + " s ago", h.taskLoad(), h.capacity(),
                        tasks.getOrDefault(h.id(), List.of()).size(), verdict);
            }
            if (scale) {
                System.out.printf("%n%-20s %-10s %7s %14s%n", "CHANNEL", "ARCH", "QUEUED", "FREE CAPACITY");
                for (var row : new org.fedorabuild.watchdog.scale.ScaleSignal(cfg.policy().hostGrace(), null).compute(hub, s)) {
                    System.out.printf("%-20s %-10s %7d %14.1f%n", row.channel(), row.arch(), row.queued(), row.freeCapacity());
                }
            }
            System.out.printf("%d hosts, %d stale, %d OPEN/ASSIGNED tasks, hub clock %.0f (%s)%n", s.hosts().size(), stale,
                    s.tasks().size(), s.hubNow(), s.clockSource());
            return 0;
        } catch (org.fedorabuild.compat.client.KojiConnectionException e) {
            System.out.println("error  hub unreachable: " + e.getMessage());
            return WatchdogMain.HUB_UNREADABLE;
        }
    }
}

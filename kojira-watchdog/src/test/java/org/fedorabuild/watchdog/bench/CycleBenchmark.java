package org.fedorabuild.watchdog.bench;

import java.time.Duration;
import java.util.Set;
import org.fedorabuild.pg.testing.TestDatabase;
import org.fedorabuild.pg.testing.TestPostgres;
import org.fedorabuild.watchdog.audit.AuditStore;
import org.fedorabuild.watchdog.config.ConfigLoader;
import org.fedorabuild.watchdog.config.WatchdogConfig;
import org.fedorabuild.watchdog.cycle.CycleReport;
import org.fedorabuild.watchdog.cycle.WatchdogCycle;
import org.fedorabuild.watchdog.guard.Outcome;
import org.fedorabuild.watchdog.sim.SimHost;
import org.fedorabuild.watchdog.sim.SimTask;
import org.fedorabuild.watchdog.sim.SimulatedKojiHub;

/**
 * Requests and seconds per cycle against a simulated hub of {@code hosts} builders holding {@code tasks} OPEN
 * tasks, and the detection latency from a host's last check-in to its task being freed (hub clock, cycles
 * every check_interval). Run: {@code ./mvnw -q -pl kojira-watchdog -Pbench test-compile exec:java}
 * (optionally {@code -Dexec.args="10000 100000 5"}: hosts, tasks, cycles).
 */
public final class CycleBenchmark {
    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int tasks = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int cycles = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        try (SimulatedKojiHub hub = new SimulatedKojiHub().start();
             TestDatabase db = TestPostgres.freshDatabase("bench", AuditStore.MIGRATIONS)) {
            hub.addUser("watchdog", "watchdog-secret", 0).perms.add("admin");
            SimHost[] h = new SimHost[hosts];
            for (int i = 0; i < hosts; i++) {
                h[i] = hub.addHost(String.format("builder%05d", i + 1));
                h[i].capacity = Math.max(2.0, Math.ceil((double) tasks / hosts) + 1);
            }
            SimTask victim = null;
            for (int i = 0; i < tasks; i++) {
                SimTask t = hub.makeTask("buildArch");
                hub.openOn(t, h[i % hosts]);
                if (i == 0) {
                    victim = t; // held by h[0], the builder that will die
                }
            }
            hub.touchAllExcept(Set.of());
            WatchdogConfig cfg = ConfigLoader.parse("bench", "[kojira-watchdog]\nserver = " + hub.uri()
                    + "\nauthtype = password\nuser = watchdog\npassword = watchdog-secret\ncall_timeout = 120s\n"
                    + "cycle_timeout = 300s\nhung_task_timeout = 0\n");
            AuditStore store = new AuditStore(db.dataSource(), "bench");
            System.out.printf("fleet: %d hosts, %d OPEN tasks; multicall_batch %d%n", hosts, tasks, cfg.hub().multicallBatch());
            double totalSecs = 0;
            int req = 0;
            for (int i = 0; i < cycles; i++) {
                hub.clock.advance(Duration.ofSeconds(60));
                hub.touchAllExcept(Set.of());
                int before = hub.requests();
                CycleReport r = new WatchdogCycle(cfg, store, null).run();
                int requests = hub.requests() - before;
                System.out.printf("cycle %d: %s; hub saw %d HTTP requests, %.2f s (snapshot read %.2f s)%n", i + 1,
                        r.complete() ? "complete" : r.status(), requests, r.seconds(), r.snapshot().readSeconds());
                if (i > 0) { // the first cycle warms the JIT
                    totalSecs += r.seconds();
                    req += requests;
                }
            }
            System.out.printf("RESULT per cycle (mean of %d): %.1f requests, %.2f s at %d hosts / %d tasks%n", cycles - 1,
                    (double) req / (cycles - 1), totalSecs / (cycles - 1), hosts, tasks);

            // Detection latency: one builder stops checking in; cycles every check_interval (60 s, hub clock).
            String dead = h[0].name;
            double lastCheckIn = hub.clock.epoch();
            double freedAt = -1;
            for (int i = 0; i < 30 && freedAt < 0; i++) {
                hub.clock.advance(Duration.ofSeconds(60));
                hub.touchAllExcept(Set.of(dead));
                CycleReport r = new WatchdogCycle(cfg, store, null).run();
                if (r.verdicts().stream().anyMatch(v -> v.outcome() == Outcome.FREED)) {
                    freedAt = r.snapshot().hubNow();
                }
            }
            System.out.printf("RESULT detection latency: %.0f s from %s's last check-in to its tasks freed"
                    + " (host_grace %d s, check_interval %d s); task %d now in state %d%n", freedAt - lastCheckIn, dead,
                    cfg.policy().hostGrace().toSeconds(), cfg.policy().checkInterval().toSeconds(), victim.id, victim.state);
        }
        System.exit(0);
    }
}

package org.fedorabuild.hub.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.fedorabuild.hub.config.HubConfig;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.db.HubDatabase;
import org.fedorabuild.hub.pool.PoolSimulation;
import org.fedorabuild.pg.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code copr-hub pool status} (builders of every pool, recent failures) and {@code copr-hub pool bench}. */
@Command(name = "pool", description = "Builder pools: their builders and failures, and the pool benchmark.",
        subcommands = {PoolCommand.Status.class, PoolCommand.Bench.class})
final class PoolCommand {
    @Command(name = "status", description = "Live builders of every pool (state, address, tasks taken) and the last failures.")
    static final class Status implements Callable<Integer> {
        @Mixin
        HubOptions options;

        @Option(names = "--failures", defaultValue = "10", description = "failed starts and deletes to list (default ${DEFAULT-VALUE})")
        int failures;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            HubConfig config = options.load(null);
            try (Database database = HubDatabase.open(config, "copr-hub-pool", 2)) {
                Db db = new Db(database.dataSource());
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%-24s %-10s %-9s %-28s %6s %s%n", "builder", "pool", "state", "address", "tasks", "since / reason");
                for (var b : db.query("SELECT b.name, b.pool, b.state, b.address, h.tasks_taken, COALESCE(b.retire_time, b.ready_time,"
                        + " b.start_time) AS since, b.reason, b.last_error FROM pool_builders b LEFT JOIN hosts h ON h.id = b.host_id"
                        + " WHERE b.state IN ('starting', 'ready', 'retiring') ORDER BY b.pool, b.id")) {
                    out.printf("%-24s %-10s %-9s %-28s %6s %s%s%n", b.get("name"), b.get("pool"), b.get("state"),
                            b.get("address") == null ? "-" : b.get("address"), b.get("tasks_taken") == null ? "-" : b.get("tasks_taken"),
                            b.get("since"), b.get("reason") == null ? "" : " " + b.get("reason")
                                    + (b.get("last_error") == null ? "" : " (last error: " + b.get("last_error") + ")"));
                }
                for (var f : db.query("SELECT name, pool, COALESCE(end_time, start_time) AS at, COALESCE(last_error, reason) AS why"
                        + " FROM pool_builders WHERE state = 'failed' OR last_error IS NOT NULL ORDER BY id DESC LIMIT ?", failures)) {
                    out.printf("failure: %s %s (pool %s): %s%n", f.get("at"), f.get("name"), f.get("pool"), f.get("why"));
                }
                out.flush();
                return 0;
            }
        }
    }

    @Command(name = "bench", description = "Pool benchmark with simulated builders: queue wait of a single build behind another"
            + " owner's mass rebuild, and time from a task waiting to a builder taking it.")
    static final class Bench implements Callable<Integer> {
        @Option(names = "--packages", defaultValue = "2500", description = "packages of the mass rebuild (default ${DEFAULT-VALUE})")
        int packages;

        @Option(names = "--builders", defaultValue = "32", description = "fixed fleet for the rebuild (default ${DEFAULT-VALUE})")
        int builders;

        @Option(names = "--owner-limit", defaultValue = "24", description = "MaxBuildsPerOwner to compare (default ${DEFAULT-VALUE})")
        int limit;

        @Option(names = "--seed", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
        long seed;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            long t0 = System.nanoTime();
            out.printf("single build submitted 1 h into a %d-package rebuild of another owner, %d builders:%n", packages, builders);
            out.printf("  %-32s %18s %18s%n", "policy", "single build wait", "rebuild makespan");
            for (var s : PoolSimulation.starvation(packages, builders, limit, seed)) {
                out.printf("  %-32s %16.0f s %16.2f h%n", s.policy(), s.singleWait(), s.rebuildHours());
                out.flush();
            }
            out.printf("%nbuilds arriving at random (20 owners, 60 an hour unless said), pool max 16, dispatch round 1 s: task waiting -> builder takes it%n");
            out.printf("  %-50s %8s %8s %8s %8s %8s%n", "setup", "tasks", "p50 s", "p95 s", "max s", "started");
            for (var p : new PoolSimulation.Pickup[] {
                    PoolSimulation.pickup("boot 60 s, idle_timeout 15m, min_idle 0", 2000, 60, 16, Duration.ofSeconds(60),
                            Duration.ofMinutes(15), 0, seed),
                    PoolSimulation.pickup("boot 60 s, idle_timeout 15m, min_idle 2", 2000, 60, 16, Duration.ofSeconds(60),
                            Duration.ofMinutes(15), 2, seed),
                    PoolSimulation.pickup("boot 60 s, idle_timeout 1m, min_idle 0", 2000, 60, 16, Duration.ofSeconds(60),
                            Duration.ofMinutes(1), 0, seed),
                    PoolSimulation.pickup("boot 60 s, idle_timeout 15m, 30 builds/h", 500, 30, 16, Duration.ofSeconds(60),
                            Duration.ofMinutes(15), 0, seed),
                    PoolSimulation.pickup("boot 60 s, idle_timeout 15m, 120 builds/h (busy)", 2000, 120, 16, Duration.ofSeconds(60),
                            Duration.ofMinutes(15), 0, seed)}) {
                out.printf("  %-50s %8d %8.1f %8.1f %8.1f %8d%n", p.setup(), p.tasks(), p.p50(), p.p95(), p.max(), p.started());
                out.flush();
            }
            out.printf("(seed %d, %.1f s)%n", seed, (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }
}

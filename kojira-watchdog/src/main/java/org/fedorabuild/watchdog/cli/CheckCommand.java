package org.fedorabuild.watchdog.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fedorabuild.watchdog.config.WatchdogConfig;
import org.fedorabuild.watchdog.cycle.CycleReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code check [--dry-run]}: one cycle now, one line per decision. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Runs one cycle now and prints one line per decision: rule, host, task N, action, outcome, evidence.",
            "Exit 0 when the cycle completed, 1 when the hub could not be read fully (within cycle_timeout)."})
final class CheckCommand implements Callable<Integer> {
    @Mixin
    ConfigMixin config;

    @Option(names = "--dry-run", description = "decide and report, change nothing on the hub")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        WatchdogConfig cfg = config.load();
        if (dryRun) {
            cfg = cfg.withDryRun(true);
        }
        try (WatchdogContext ctx = new WatchdogContext(cfg, 4)) {
            return runBounded(ctx, cfg);
        }
    }

    static Integer runBounded(WatchdogContext ctx, WatchdogConfig cfg) throws Exception {
        ExecutorService exec = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "check-cycle");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<CycleReport> f = exec.submit(() -> ctx.cycle(null).run());
            CycleReport r;
            try {
                r = f.get(cfg.hub().cycleTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                System.out.println("error  hub did not answer fully within cycle_timeout "
                        + cfg.hub().cycleTimeout().toSeconds() + " s; nothing judged");
                return WatchdogMain.HUB_UNREADABLE;
            }
            r.lines().forEach(System.out::println);
            System.out.println(r.summary());
            return r.complete() ? 0 : WatchdogMain.HUB_UNREADABLE;
        } finally {
            exec.shutdownNow();
        }
    }
}

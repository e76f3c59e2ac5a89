package org.fedorabuild.watchdog.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fedorabuild.pg.EmbeddedPostgres;
import org.fedorabuild.watchdog.config.WatchdogConfig;
import org.fedorabuild.watchdog.metrics.WatchdogMetrics;
import org.fedorabuild.watchdog.scheduler.WatchdogScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: the service. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the service: a cycle every check_interval, scheduled by Quartz on the watchdog's PostgreSQL.",
            "Several instances on one db_url form a cluster: each cycle runs on exactly one of them.",
            "Serves Prometheus metrics at http://metrics_listen/metrics when metrics_listen is set."})
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
    /** How long SIGTERM waits for a running cycle (systemd's TimeoutStopSec in etc/ is longer). */
    static final Duration STOP_GRACE = Duration.ofSeconds(60);

    @Mixin
    ConfigMixin config;

    @Option(names = "--instance-id", defaultValue = "AUTO", description = "cluster instance id, default ${DEFAULT-VALUE}")
    String instanceId;

    @Override
    public Integer call() throws Exception {
        WatchdogConfig cfg = config.load();
        LOG.info("Starting kojira-watchdog against {} ({})", cfg.hub().server(), cfg.policy().dryRun() ? "dry run" : "acting");
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        // SIGTERM: the JVM runs every shutdown hook at once and exits when they return. Ours asks the main thread to
        // stop and waits for it, so the running cycle ends (or is abandoned) before the database closes, in order.
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                if (!finished.await(STOP_GRACE.toSeconds() + 30, TimeUnit.SECONDS)) {
                    LOG.warn("Stopping: shutdown did not complete in time; exiting anyway");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kojira-watchdog-stop");
        try (WatchdogContext ctx = new WatchdogContext(cfg, 4); WatchdogMetrics metrics = new WatchdogMetrics()) {
            // This command stops its embedded PostgreSQL itself, last (WatchdogContext.close).
            ctx.database.embeddedServer().ifPresent(EmbeddedPostgres::leaveStopToCaller);
            if (cfg.metricsListen() != null) {
                metrics.serve(cfg.metricsListen());
                LOG.info("Metrics at http://{}/metrics", cfg.metricsListen());
            }
            String url = ctx.database.jdbcUrl();
            String user = cfg.storage().dbUser();
            String password = cfg.storage().dbPassword();
            if (ctx.database.embeddedServer().isPresent()) {
                EmbeddedPostgres pg = ctx.database.embeddedServer().get();
                user = pg.user();
                password = pg.password();
            }
            WatchdogScheduler scheduler = new WatchdogScheduler(url, user, password, instanceId, ctx.cycle(metrics),
                    cfg.policy().checkInterval(), null);
            try {
                Runtime.getRuntime().addShutdownHook(hook);
                scheduler.start();
                LOG.info("Start completed.");
                stop.await();
                LOG.info("Stopping: no new cycle; waiting up to {} s for a running one", STOP_GRACE.toSeconds());
            } finally {
                scheduler.close(STOP_GRACE);
            }
        } finally {
            LOG.info("Shutdown completed.");
            finished.countDown();
        }
        return 0;
    }
}

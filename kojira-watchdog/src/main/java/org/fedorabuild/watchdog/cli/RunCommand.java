package org.fedorabuild.watchdog.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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

    @Mixin
    ConfigMixin config;

    @Option(names = "--instance-id", defaultValue = "AUTO", description = "cluster instance id, default ${DEFAULT-VALUE}")
    String instanceId;

    @Override
    public Integer call() throws Exception {
        WatchdogConfig cfg = config.load();
        LOG.info("Starting kojira-watchdog against {} ({})", cfg.hub().server(), cfg.policy().dryRun() ? "dry run" : "acting");
        CountDownLatch stop = new CountDownLatch(1);
        try (WatchdogContext ctx = new WatchdogContext(cfg, 4); WatchdogMetrics metrics = new WatchdogMetrics()) {
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
            try (WatchdogScheduler scheduler = new WatchdogScheduler(url, user, password, instanceId, ctx.cycle(metrics),
                    cfg.policy().checkInterval(), null)) {
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "kojira-watchdog-stop"));
                scheduler.start();
                LOG.info("Start completed.");
                stop.await();
                LOG.info("Stopping...");
            }
        }
        return 0;
    }
}

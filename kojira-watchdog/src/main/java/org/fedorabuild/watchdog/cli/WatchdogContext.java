package org.fedorabuild.watchdog.cli;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import org.fedorabuild.pg.Database;
import org.fedorabuild.pg.Migrations;
import org.fedorabuild.pg.PoolSettings;
import org.fedorabuild.watchdog.audit.AuditStore;
import org.fedorabuild.watchdog.config.WatchdogConfig;
import org.fedorabuild.watchdog.cycle.WatchdogCycle;
import org.fedorabuild.watchdog.drain.Decommissioner;
import org.fedorabuild.watchdog.drain.Drainer;
import org.fedorabuild.watchdog.metrics.WatchdogMetrics;

/**
 * What every command needs: the database (an external {@code db_url}, or the embedded PostgreSQL under
 * {@code data_dir}, as copr-hub does), migrated, and the audit store on it.
 */
final class WatchdogContext implements AutoCloseable {
    final WatchdogConfig config;
    final Database database;
    final AuditStore store;

    WatchdogContext(WatchdogConfig config, int poolSize) {
        this.config = config;
        WatchdogConfig.Storage st = config.storage();
        this.database = Database.open(st.dbUrl(), st.dbUser(), st.dbPassword(), st.dataDir(), "kojira_watchdog",
                PoolSettings.named("kojira-watchdog").withMaximumPoolSize(poolSize));
        try {
            database.migrate(Migrations.fromClasspath(AuditStore.MIGRATIONS));
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        this.store = new AuditStore(database.dataSource(), instanceName());
    }

    static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return host + ":" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    WatchdogCycle cycle(WatchdogMetrics metrics) {
        WatchdogCycle cycle = new WatchdogCycle(config, store, metrics)
                .withStep(new Drainer(config, store, new Decommissioner(config.drain()), metrics));
        var drain = config.drain();
        var scale = drain.scaleCommand() == null ? null : new org.fedorabuild.watchdog.scale.ScaleCommand(drain.pool(),
                drain.scaleCommand(), drain.scaleCooldown(), drain.decommissionTimeout());
        if (metrics != null || scale != null) {
            cycle.withStep(new org.fedorabuild.watchdog.scale.ScaleSignal(config.policy().hostGrace(), metrics, scale));
        }
        return cycle;
    }

    @Override
    public void close() {
        database.close();
    }
}

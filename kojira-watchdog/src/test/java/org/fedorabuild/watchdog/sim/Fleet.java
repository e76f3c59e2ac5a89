package org.fedorabuild.watchdog.sim;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.sql.DataSource;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.fedorabuild.watchdog.audit.AuditStore;
import org.fedorabuild.watchdog.config.ConfigLoader;
import org.fedorabuild.watchdog.config.WatchdogConfig;
import org.fedorabuild.watchdog.cycle.CycleReport;
import org.fedorabuild.watchdog.cycle.WatchdogCycle;

/**
 * A test fleet: a {@link SimulatedKojiHub}, kojid-like builders on it, and a watchdog configured against it
 * with its audit store on a test database.
 */
public final class Fleet implements AutoCloseable {
    public final SimulatedKojiHub hub;
    public final List<SimBuilder> builders = new ArrayList<>();
    private final DataSource ds;

    public Fleet(DataSource ds, int builderCount) throws Exception {
        this(ds, builderCount, null);
    }

    /**
     * With {@code hubTls}, the hub also serves HTTPS that wants a client certificate ({@link SimulatedKojiHub#tlsUri()});
     * the builders stay on plain HTTP.
     */
    public Fleet(DataSource ds, int builderCount, SSLContext hubTls) throws Exception {
        this.ds = ds;
        truncate(ds);
        hub = new SimulatedKojiHub().start(hubTls);
        hub.addUser("watchdog", "watchdog-secret", 0).perms.add("admin");
        for (int i = 1; i <= builderCount; i++) {
            hub.addHost("builder" + i);
            builders.add(new SimBuilder(hub.uri(), "builder" + i, 2).login());
        }
    }

    public static void truncate(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE audit, outage, acted_run, host_memory, task_memory, drain");
        }
    }

    public long host(String name) {
        return hub.host(name).id;
    }

    public SimBuilder builder(int n) {
        return builders.get(n - 1);
    }

    /** The config text for this hub; {@code extra} lines are appended (later keys must not repeat). */
    public String configText(String extra) {
        return configText(hub.uri(), "authtype = password\nuser = watchdog\npassword = watchdog-secret\n", extra);
    }

    /** The config text for logging in with a client certificate over the hub's HTTPS port. */
    public String sslConfigText(Path cert, Path serverca, String extra) {
        return configText(hub.tlsUri(), "authtype = ssl\ncert = " + cert + "\nserverca = " + serverca + "\n", extra);
    }

    private static String configText(URI server, String auth, String extra) {
        return "[kojira-watchdog]\nserver = " + server + "\n" + auth + "connect_timeout = 2s\ncall_timeout = 5s\n"
                + "retries = 0\noutage_warmup = 600s\n" + extra;
    }

    /** The config lines that put the watchdog's tables on the test database (for the command line). */
    public static String database(PostgresExtension pg) {
        return "db_url = " + pg.jdbcUrl() + "\ndb_user = " + pg.user() + "\ndb_password = " + pg.password() + "\n";
    }

    public WatchdogConfig config(String extra) {
        return ConfigLoader.parse("test.conf", configText(extra));
    }

    public AuditStore store() {
        return new AuditStore(ds, "test");
    }

    public WatchdogCycle cycle(String extra) {
        return new WatchdogCycle(config(extra), store(), null);
    }

    public CycleReport runCycle(String extra) {
        return cycle(extra).run();
    }

    /** Advances the hub clock by {@code total} in {@code step}s; the given builders check in after each step. */
    public void advance(Duration total, Duration step, SimBuilder... alive) {
        for (Duration done = Duration.ZERO; done.compareTo(total) < 0; done = done.plus(step)) {
            hub.clock.advance(step);
            for (SimBuilder b : alive) {
                b.checkIn();
            }
        }
    }

    @Override
    public void close() throws Exception {
        hub.close();
    }
}

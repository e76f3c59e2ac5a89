package org.fedorabuild.hub.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.fedorabuild.hub.auth.Bootstrap;
import org.fedorabuild.hub.config.HubConfig;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.db.HubDatabase;
import org.fedorabuild.hub.server.HubServer;
import org.fedorabuild.hub.server.HubServices;
import org.fedorabuild.pg.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs the hub until SIGINT/SIGTERM, then stops Jetty before the database, so no request loses its
 * connection mid-call and the embedded PostgreSQL shuts down cleanly.
 */
@Command(name = "serve", description = "Run the hub (Koji XML-RPC at /kojihub, health at /health).")
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    HubOptions options;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "HTTP address (default 127.0.0.1:8080)")
    String listen;

    @Option(names = "--show-config", description = "print the effective configuration (secrets masked) and exit")
    boolean showConfig;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        HubConfig config = options.load(listen);
        PrintWriter out = spec.commandLine().getOut();
        if (showConfig) {
            out.println("[hub]");
            config.describe().forEach((k, v) -> out.println(k + " = " + v));
            return 0;
        }
        LOG.info("Hub - Starting... ({})", config);
        Database database = HubDatabase.open(config, "copr-hub", config.dbPoolSize());
        HubServer server;
        HubServices services;
        try {
            services = new HubServices(new Db(database.dataSource()), config);
            var admin = Bootstrap.run(services.db, services.users, services.tokens, config.bootstrapAdmin(),
                    Duration.ofDays(TokenCommand.DEFAULT_DAYS));
            server = HubServer.start(config, services);
            banner(out, config, server, database, admin.orElse(null));
        } catch (Exception | Error e) {
            database.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            LOG.info("Hub - Shutdown requested");
            try {
                server.close();
            } finally {
                database.close();
                // The hub owns the embedded server even when it adopted one a crashed hub left running.
                database.embeddedServer().ifPresent(pg -> pg.stop(true));
                LOG.info("Hub - Shutdown completed.");
                stopped.countDown();
            }
        }, "copr-hub-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        server.join();
        stopped.await();
        return 0;
    }

    private static void banner(PrintWriter out, HubConfig config, HubServer server, Database database,
            Bootstrap.FirstAdmin admin) {
        String base = config.publicUrl();
        if (config.listen().port() == 0) {
            base = base.replaceFirst(":0$", ":" + server.port());
        }
        out.println("copr-hub ready: " + base + "/kojihub (Koji " + HubConfig.KOJI_VERSION + " protocol), health: " + base + "/health");
        out.println("database: " + database.embeddedServer().map(pg -> "embedded PostgreSQL in " + pg.baseDirectory()
                + " (" + database.jdbcUrl() + ")").orElse(database.jdbcUrl()));
        String user = admin == null ? "USER" : admin.name();
        if (admin != null) {
            out.println();
            out.println("First start: created the hub admin '" + admin.name() + "'. Its API token, shown only this once, is:");
            out.println("  " + admin.token());
        }
        out.println();
        out.println("Point the koji CLI at this hub with a profile in ~/.koji/config.d/copr-hub.conf:");
        out.print(ProfileText.koji(config, "copr-hub", user).replace("server = " + config.hubUrl(), "server = " + base + "/kojihub"));
        out.println("then:  koji -p copr-hub --password " + (admin == null ? "TOKEN" : admin.token()) + " hello");
        out.println("Users and tokens (same --config/--data/--db-url as serve, while it runs):");
        out.println("  copr-hub user add NAME [--admin]; copr-hub token new NAME; copr-hub profile --user NAME");
        out.flush();
    }
}

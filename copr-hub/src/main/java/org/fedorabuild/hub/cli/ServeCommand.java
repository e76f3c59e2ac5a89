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

    @Option(names = "--local-builder", paramLabel = "N",
            description = "also build on this machine: registers host 'local' (its arch + noarch, capacity N; mock if"
                    + " installed, else rpmbuild), driven like an SSH builder through a local transport")
    Integer localBuilder;

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
            out.println("[retention]");
            config.retention().describe().forEach((k, v) -> out.println(k + " = " + v));
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
            Integer localHost = null;
            if (localBuilder != null) {
                if (localBuilder < 1) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--local-builder needs N >= 1");
                }
                String arch = machineArch();
                localHost = services.db.tx(() -> services.hosts.registerLocal("local", java.util.List.of(arch, "noarch"),
                        localBuilder, null));
            }
            server = HubServer.start(config, services);
            services.startBuilds(localHost);
            if (admin.isPresent()) {
                org.fedorabuild.hub.server.DataDirs.writeSecret(adminTokenFile(config), admin.get().token());
            }
            banner(out, config, server, database, admin.orElse(null), localBuilder != null ? machineArch() : null);
        } catch (Exception | Error e) {
            database.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // Our hook stops PostgreSQL after the services, never beside them.
        database.embeddedServer().ifPresent(pg -> pg.leaveStopToCaller());
        Thread hook = new Thread(() -> {
            LOG.info("Hub - Shutdown requested");
            java.util.List<String> others = java.util.List.of();
            try {
                server.close();
                services.close();
                others = services.leases.otherLiveHubs();
            } finally {
                database.close();
                // The hub owns the embedded server even when it adopted one a crashed hub left running,
                // unless another hub process still uses it.
                if (others.isEmpty()) {
                    database.embeddedServer().ifPresent(pg -> pg.stop(true));
                } else {
                    LOG.info("Hub - embedded PostgreSQL left running for the other hub(s) {}", others);
                }
                LOG.info("Hub - Shutdown completed.");
                stopped.countDown();
            }
        }, "copr-hub-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        server.join();
        stopped.await();
        return 0;
    }

    /** Where the first start leaves the admin's token (0600). */
    static java.nio.file.Path adminTokenFile(HubConfig config) {
        return config.dataDir().toAbsolutePath().normalize().resolve("admin-token");
    }

    /** The machine's architecture as rpm names it ({@code uname -m}). */
    static String machineArch() {
        try {
            String arch = org.fedorabuild.process.Command.of("uname", "-m").timeout(java.time.Duration.ofSeconds(10))
                    .runChecked("asking the machine's architecture").stdout().strip();
            return arch.isEmpty() ? "x86_64" : arch;
        } catch (Exception e) {
            return "x86_64";
        }
    }

    private static void banner(PrintWriter out, HubConfig config, HubServer server, Database database,
            Bootstrap.FirstAdmin admin, String localArch) {
        String base = config.publicUrl();
        if (config.listen().port() == 0) {
            base = base.replaceFirst(":0$", ":" + server.port());
        }
        out.println("copr-hub ready: " + base + "/kojihub (Koji " + HubConfig.KOJI_VERSION + " protocol), health: " + base + "/health");
        out.println("database: " + database.embeddedServer().map(pg -> "embedded PostgreSQL in " + pg.baseDirectory()
                + " (" + database.jdbcUrl() + ")").orElse(database.jdbcUrl()));
        String user = admin == null ? "USER" : admin.name();
        java.nio.file.Path tokenFile = admin == null ? null : adminTokenFile(config);
        if (admin != null) {
            out.println();
            out.println("First start: created the hub admin '" + admin.name() + "'. Its API token is in " + tokenFile);
            out.println("  (readable only by this user; copy it where you keep secrets and delete the file)");
        }
        out.println();
        out.println("Point the koji CLI at this hub with a profile in ~/.koji/config.d/copr-hub.conf:");
        out.print(ProfileText.koji(config, "copr-hub", user).replace("server = " + config.hubUrl(), "server = " + base + "/kojihub"));
        // the koji CLI reads a password only from its command line; the token file keeps it out of shell history
        String token = "\"$(cat " + (tokenFile == null ? "TOKEN_FILE" : tokenFile) + ")\"";
        out.println("then:  koji -p copr-hub --user " + user + " --password " + token + " hello");
        out.println("  (the koji CLI takes a password only on its command line, where local users see it in ps:");
        out.println("   on a shared machine log in with a certificate instead, see docs/security.md)");
        String chroot = "fedora-40-" + (localArch == null ? "x86_64" : localArch);
        out.println();
        out.println("Build (a project, then any SRPM; the RPMs land in a dnf repository):");
        out.println("  bin/copr-hub project create " + user + "/hello --chroot " + chroot + " --data " + config.dataDir());
        out.println("  koji -p copr-hub --user " + user + " --password " + token + " build " + user + "/hello hello-1.0-1.src.rpm");
        out.println("  koji -p copr-hub download-build hello-1.0-1.fc40");
        out.println("  dnf config-manager --add-repo " + base + "/results/" + user + "/hello/" + user + "-hello.repo");
        if (localArch == null) {
            out.println("  (no builders yet: add one with `copr-hub host add`, or run serve --local-builder 2)");
        }
        out.println("Users and tokens (same --config/--data/--db-url as serve, while it runs):");
        out.println("  copr-hub user add NAME [--admin]; copr-hub token new NAME; copr-hub profile --user NAME");
        out.flush();
    }
}

package org.fedorabuild.hub.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedorabuild.hub.config.HubConfig;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.db.HubDatabase;
import org.fedorabuild.hub.server.HubServices;
import org.fedorabuild.pg.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code copr-hub prune}: applies the {@code [retention]} policy now, beside a running hub (same database;
 * the chroot repositories are regenerated under the lock the hub's publisher takes too). Prints one line
 * per build removed ({@code NVR  OWNER/PROJECT  CHROOT  SIZE}) and a total; kept builds are not listed.
 */
@Command(name = "prune", description = {"Remove builds, failed and scratch build outputs the [retention] policy no longer keeps,",
        "regenerate the affected repositories, retire idle scale-up builders. One line per removed build, then a total."})
final class PruneCommand implements Callable<Integer> {
    /** Test seam: halt the JVM right after the database phase, as a kill would. */
    static final String HALT_AFTER_MARK = "copr-hub.prune.haltAfterMark";

    @Mixin
    HubOptions options;

    @Option(names = "--dry-run", description = "print what would be removed; change nothing")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        HubConfig config = options.load(null);
        // the prune lock and a repository lock each hold a connection while a transaction needs a third
        Database database = HubDatabase.open(config, "copr-hub-prune", 4);
        HubServices services = null;
        try {
            services = new HubServices(new Db(database.dataSource()), config);
            if (Boolean.getBoolean(HALT_AFTER_MARK)) {
                services.retention.pruner.afterMark(() -> Runtime.getRuntime().halt(137));
            }
            List<String> lines = services.retention.runOnce(dryRun);
            PrintWriter out = spec.commandLine().getOut();
            lines.forEach(out::println);
            out.flush();
            return 0;
        } finally {
            if (services != null) {
                services.close();
            }
            database.close();
        }
    }
}

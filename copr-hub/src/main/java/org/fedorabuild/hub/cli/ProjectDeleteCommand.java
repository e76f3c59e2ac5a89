package org.fedorabuild.hub.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.fedorabuild.hub.config.HubConfig;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.db.HubDatabase;
import org.fedorabuild.hub.namespace.CoprName;
import org.fedorabuild.hub.retention.ProjectDeletion;
import org.fedorabuild.hub.server.HubServices;
import org.fedorabuild.pg.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code copr-hub project delete OWNER/PROJECT [--yes] [--force]}: without {@code --yes} prints what would
 * be removed and changes nothing (exit 1); with it deletes the project as {@link ProjectDeletion} describes.
 */
@Command(name = "delete", description = {"Delete OWNER/PROJECT: its builds (DELETED), tags and targets, queued and running tasks,",
        "results directory and repositories. Without --yes, prints what would be removed and changes nothing."})
final class ProjectDeleteCommand implements Callable<Integer> {
    /** Test seam: halt the JVM right after the database phase, as a kill would. */
    static final String HALT_AFTER_MARK = "copr-hub.project-delete.haltAfterMark";

    @Mixin
    HubOptions options;

    @Parameters(paramLabel = "OWNER/PROJECT")
    String name;

    @Option(names = "--yes", description = "really delete")
    boolean yes;

    @Option(names = "--force", description = "also when a chain is running in the project (the chain is canceled)")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CoprName copr = CoprName.parse(name);
        HubConfig config = options.load(null);
        // the prune lock and a repository lock each hold a connection while a statement needs a third
        Database database = HubDatabase.open(config, "copr-hub-project-delete", 4);
        HubServices services = null;
        try {
            services = new HubServices(new Db(database.dataSource()), config);
            ProjectDeletion deletion = new ProjectDeletion(services.db, config.builds().storageRoot(), services.outputs,
                    services.retention.locks);
            PrintWriter out = spec.commandLine().getOut();
            if (!yes) {
                ProjectDeletion.Summary s = services.db.tx(() -> deletion.summary(copr));
                out.println("would delete " + s.describe());
                if (!s.activeChains().isEmpty()) {
                    out.println("active chain(s) " + s.activeChains() + ": refused unless --force (which cancels them)");
                }
                out.flush();
                spec.commandLine().getErr().println("copr-hub project delete: nothing deleted: add --yes to delete " + copr);
                return 1;
            }
            if (Boolean.getBoolean(HALT_AFTER_MARK)) {
                deletion.afterMark(() -> Runtime.getRuntime().halt(137));
            }
            ProjectDeletion.Summary s = deletion.delete(copr, force);
            out.println("deleted " + s.describe() + (s.canceledTasks() > 0 ? ", " + s.canceledTasks() + " task(s) canceled" : "")
                    + (s.activeChains().isEmpty() ? "" : ", chain(s) " + s.activeChains() + " canceled"));
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

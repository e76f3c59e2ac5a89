package org.fedorabuild.watchdog.cli;

import org.fedorabuild.pg.EmbeddedPostgresException;
import org.fedorabuild.pg.MigrationException;
import org.fedorabuild.watchdog.audit.AuditException;
import org.fedorabuild.watchdog.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/kojira-watchdog}: the service and its operator commands. */
@Command(name = "kojira-watchdog", mixinStandardHelpOptions = true, version = "kojira-watchdog 0.1.0",
        description = "Frees tasks stranded on dead, disabled or hung Koji builders, safely; drains and decommissions builders.",
        subcommands = {RunCommand.class, CheckCommand.class, StatusCommand.class, DrainCommand.class, AuditCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success (check: the cycle completed)",
            "1:the hub could not be read fully: unreachable, partial answer, or not within cycle_timeout",
            "2:invalid command line",
            "3:invalid configuration, or the database failed",
            "4:drain: the decommission failed"})
public final class WatchdogMain {
    public static final int HUB_UNREADABLE = 1;
    public static final int CONFIG_OR_DATABASE = 3;
    public static final int DECOMMISSION_FAILED = 4;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new WatchdogMain());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException || e instanceof AuditException || e instanceof MigrationException
                    || e instanceof EmbeddedPostgresException || e instanceof IllegalArgumentException) {
                cmd.getErr().println("kojira-watchdog: " + e.getMessage());
                return CONFIG_OR_DATABASE;
            }
            throw e;
        });
        return cl.execute(args);
    }
}

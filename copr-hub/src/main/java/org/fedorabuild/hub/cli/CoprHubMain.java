package org.fedorabuild.hub.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code copr-hub}: the hub daemon ({@code serve}) and the admin commands that work on the same
 * database while it runs. Exit codes: 0 success, 1 the action failed, 2 bad usage, 3 bad configuration.
 */
@Command(name = "copr-hub", mixinStandardHelpOptions = true, version = "copr-hub 0.1 (Koji " + "1.34.3" + " compatible)",
        description = "Koji-compatible hub with Copr namespaces.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the action failed", "2:bad usage", "3:bad configuration"},
        subcommands = {ServeCommand.class, UserCommand.class, TokenCommand.class, GroupCommand.class, PruneCommand.class,
                ProjectCommand.class, HostCommand.class, ProfileCommand.class, BenchCommand.class, ChainCommand.class,
                ChrootCommand.class, PoolCommand.class})
public final class CoprHubMain {
    public static void main(String[] args) {
        // Admin commands print their results on stdout; pool and database chatter would bury them.
        if (args.length == 0 || !"serve".equals(args[0])) {
            System.setProperty("copr-hub.log.level", "WARN");
        }
        System.exit(newCommandLine().execute(args));
    }

    public static CommandLine newCommandLine() {
        return new CommandLine(new CoprHubMain()).setExecutionExceptionHandler(new Failures());
    }
}

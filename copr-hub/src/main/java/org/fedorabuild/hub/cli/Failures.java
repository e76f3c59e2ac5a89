package org.fedorabuild.hub.cli;

import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.hub.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns a failed command into one line on stderr and an exit code; stack traces go to the log only. */
final class Failures implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        if (e instanceof ConfigException) {
            cmd.getErr().println("copr-hub: " + e.getMessage());
            return 3;
        }
        String message = e instanceof KojiFault || e instanceof org.fedorabuild.hub.namespace.ProjectError ? e.getMessage() : e.getMessage() == null ? e.toString() : e.getMessage();
        cmd.getErr().println("copr-hub " + cmd.getCommandName() + ": " + message);
        if (!(e instanceof KojiFault) && !(e instanceof org.fedorabuild.hub.namespace.ProjectError)) {
            org.slf4j.LoggerFactory.getLogger(Failures.class).debug("command failed", e);
        }
        return 1;
    }
}

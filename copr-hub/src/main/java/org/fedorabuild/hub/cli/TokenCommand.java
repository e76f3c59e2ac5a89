package org.fedorabuild.hub.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "token", description = "Manage API tokens (the password of koji's password login).",
        subcommands = TokenCommand.New.class)
final class TokenCommand {
    /** Copr's own API tokens live 180 days by default. */
    static final int DEFAULT_DAYS = 180;

    @Command(name = "new", description = "Create a token for USER and print it once, as the last word of the last line.")
    static final class New implements Callable<Integer> {
        @Mixin
        HubOptions options;

        @Parameters(paramLabel = "USER")
        String user;

        @Option(names = "--expires", paramLabel = "DAYS", defaultValue = "" + DEFAULT_DAYS,
                description = "days until the token expires, 0 for never (default: ${DEFAULT-VALUE})")
        int days;

        @Option(names = "--name", paramLabel = "NAME", defaultValue = "token",
                description = "a name for the token, listed on the web's API page (default: ${DEFAULT-VALUE})")
        String name;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (days < 0) {
                throw new GenericError("--expires must be 0 (never) or a number of days, got " + days);
            }
            try (AdminSession s = new AdminSession(options)) {
                String token = s.tx(() -> {
                    var u = s.services.users.byName(user).orElseThrow(() -> new GenericError("no such user: " + user));
                    if ((Integer) u.get("usertype") == org.fedorabuild.hub.auth.Users.GROUP) {
                        throw new GenericError(user + " is a group; tokens belong to users");
                    }
                    return s.services.tokens.create((Integer) u.get("id"), name, days == 0 ? null : Duration.ofDays(days));
                });
                var out = spec.commandLine().getOut();
                out.println("API token for " + user + " (" + (days == 0 ? "never expires" : "expires in " + days + " days")
                        + "; shown only now). Use it as the password: koji --user " + user + " --password TOKEN ...");
                out.println("token: " + token);
                return 0;
            }
        }
    }
}

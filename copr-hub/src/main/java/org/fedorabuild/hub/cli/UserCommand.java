package org.fedorabuild.hub.cli;

import java.util.concurrent.Callable;
import org.fedorabuild.hub.auth.Users;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "user", description = "Manage users.", subcommands = {UserCommand.Add.class, UserPasswdCommand.class})
final class UserCommand {
    @Command(name = "add", description = "Add a user (then give it a token: copr-hub token new NAME).")
    static final class Add implements Callable<Integer> {
        @Mixin
        HubOptions options;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--admin", description = "grant the hub admin permission")
        boolean admin;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (AdminSession s = new AdminSession(options)) {
                int id = s.tx(() -> {
                    int uid = s.services.users.create(name, Users.NORMAL);
                    if (admin) {
                        s.services.users.grant(uid, "admin");
                    }
                    return uid;
                });
                spec.commandLine().getOut().println("Created user " + name + " (id " + id + ")"
                        + (admin ? " with the admin permission" : "") + ". Next: copr-hub token new " + name);
                return 0;
            }
        }
    }
}

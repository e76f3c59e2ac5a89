package org.fedorabuild.hub.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.hub.auth.Users;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "group", description = "Manage Copr groups (@name).", subcommands = GroupCommand.Add.class)
final class GroupCommand {
    @Command(name = "add", description = "Create a group (if new) and add members to it.")
    static final class Add implements Callable<Integer> {
        @Mixin
        HubOptions options;

        @Parameters(paramLabel = "@NAME")
        String name;

        @Option(names = "--member", paramLabel = "USER", arity = "1..*", description = "users to add")
        List<String> members = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (!name.startsWith("@")) {
                throw new GenericError("group names start with '@' (as in @copr), got '" + name + "'");
            }
            try (AdminSession s = new AdminSession(options)) {
                Users users = s.services.users;
                boolean created = s.tx(() -> {
                    var group = users.byName(name).orElse(null);
                    int gid = group == null ? users.create(name, Users.GROUP) : (Integer) group.get("id");
                    if (group != null && (Integer) group.get("usertype") != Users.GROUP) {
                        throw new GenericError(name + " exists and is not a group");
                    }
                    for (String m : members) {
                        var u = users.byName(m).orElseThrow(() -> new GenericError("no such user: " + m));
                        if ((Integer) u.get("usertype") != Users.NORMAL) {
                            throw new GenericError(m + " is not a normal user");
                        }
                        users.addMember(gid, (Integer) u.get("id"));
                    }
                    return group == null;
                });
                spec.commandLine().getOut().println((created ? "Created group " : "Updated group ") + name
                        + (members.isEmpty() ? "" : " with members " + String.join(", ", members)));
                return 0;
            }
        }
    }
}

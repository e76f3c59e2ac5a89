package org.fedorabuild.hub.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.hub.namespace.CoprName;
import org.fedorabuild.hub.namespace.Projects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "project", description = "Manage Copr projects.", subcommands = {ProjectCommand.Create.class,
        ProjectRetentionCommands.Set.class, ProjectRetentionCommands.Show.class, ProjectDeleteCommand.class})
final class ProjectCommand {
    @Command(name = "create", description = "Create OWNER/PROJECT or @GROUP/PROJECT (or add chroots and roles to it).")
    static final class Create implements Callable<Integer> {
        @Mixin
        HubOptions options;

        @Parameters(paramLabel = "OWNER/PROJECT")
        String name;

        @Option(names = "--chroot", paramLabel = "CHROOT", arity = "1..*", required = true,
                description = "chroots such as fedora-40-x86_64 (repeatable)")
        List<String> chroots = new ArrayList<>();

        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        @Option(names = "--builder", paramLabel = "USER", arity = "1..*", description = "users or @groups that may build")
        List<String> builders = new ArrayList<>();

        @Option(names = "--admin", paramLabel = "USER", arity = "1..*", description = "users or @groups that administer the project")
        List<String> admins = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            CoprName copr = CoprName.parse(name);
            try (AdminSession s = new AdminSession(options)) {
                List<String> all = s.tx(() -> {
                    Projects.Project p = s.services.projects.create(copr, chroots, description);
                    for (String[] grant : grants()) {
                        var u = s.services.users.byName(grant[0]).orElseThrow(() -> new GenericError("no such user or group: " + grant[0]));
                        s.services.projects.grant(p, (Integer) u.get("id"), grant[1]);
                    }
                    return s.services.projects.chroots(p.id());
                });
                var out = spec.commandLine().getOut();
                out.println("Project " + copr + " with chroots " + String.join(" ", all) + ". Koji names:");
                out.println("  target " + copr.tagName() + " (builds every chroot) -> tag " + copr.tagName());
                for (String c : all) {
                    out.println("  target " + copr.chrootTagName(c) + " (builds " + c + ") -> buildroot tag "
                            + copr.chrootTagName(c) + ", destination tag " + copr.tagName());
                }
                return 0;
            }
        }

        private List<String[]> grants() {
            List<String[]> g = new ArrayList<>();
            builders.forEach(b -> g.add(new String[] {b, "builder"}));
            admins.forEach(a -> g.add(new String[] {a, "admin"}));
            return g;
        }
    }
}

package org.fedorabuild.hub.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "host", description = "Manage builder hosts.", subcommands = HostCommand.Add.class)
final class HostCommand {
    @Command(name = "add", description = "Add a builder host (in channel 'default', with its HOST user).")
    static final class Add implements Callable<Integer> {
        @Mixin
        HubOptions options;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--arch", paramLabel = "ARCH", arity = "1..*", required = true,
                description = "architectures it builds (repeatable, or comma/space separated)")
        List<String> arches = new ArrayList<>();

        @Option(names = "--ssh", paramLabel = "USER@HOST[:PORT]",
                description = "how copr-hub reaches it (key SSHKey, host key checked against SSHKnownHosts); without it the"
                        + " host is a kojid-style builder that checks in itself with host.* calls")
        String ssh;

        @Option(names = "--backend", paramLabel = "mock|rpmbuild", description = "build command (default: the hub's BuildBackend)")
        String backend;

        @Option(names = "--capacity", paramLabel = "N", defaultValue = "2.0", description = "Koji capacity (default: ${DEFAULT-VALUE})")
        double capacity;

        @Option(names = "--scaleup", description = "created for a scale-up: retired (disabled, then [retention] decommission_hook)"
                + " once idle past idle_builder_hours")
        boolean scaleup;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            List<String> flat = arches.stream().flatMap(a -> Arrays.stream(a.split("[,\\s]+"))).filter(a -> !a.isEmpty()).toList();
            try (AdminSession s = new AdminSession(options)) {
                int id = s.tx(() -> {
                    int hid = s.services.hosts.add(name, flat, capacity, ssh);
                    if (backend != null) {
                        s.services.hosts.setBackend(hid, backend);
                    }
                    if (scaleup) {
                        s.services.db.update("UPDATE hosts SET scaleup = true, scaleup_time = now() WHERE id = ?", hid);
                    }
                    return hid;
                });
                spec.commandLine().getOut().println("Added host " + name + " (id " + id + ", arches " + String.join(" ", flat)
                        + ", capacity " + capacity + ", " + (ssh == null ? "checks in itself" : "ssh " + ssh) + ")");
                return 0;
            }
        }
    }
}

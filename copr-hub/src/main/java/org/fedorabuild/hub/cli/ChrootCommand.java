package org.fedorabuild.hub.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedorabuild.hub.namespace.ChrootCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code copr-hub chroot add|disable|list}: the chroots contributors may choose for their projects. */
@Command(name = "chroot", description = "Manage the chroots this hub offers to self-service projects.",
        subcommands = {ChrootCommand.Add.class, ChrootCommand.Disable.class, ChrootCommand.ListCmd.class})
final class ChrootCommand {
    @Command(name = "add", description = "Offer chroots (OS-VERSION-ARCH, e.g. fedora-43-x86_64); enables them again if disabled.")
    static final class Add implements Callable<Integer> {
        @Mixin
        HubOptions options;

        @Parameters(paramLabel = "NAME", arity = "1..*")
        List<String> names = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (AdminSession s = new AdminSession(options)) {
                List<String> changed = s.tx(() -> s.services.selfService.catalog().add(names));
                spec.commandLine().getOut().println(changed.isEmpty() ? "Already offered: " + String.join(" ", names)
                        : "Offered: " + String.join(" ", changed));
                return 0;
            }
        }
    }

    @Command(name = "disable", description = "Stop offering chroots for new selections (existing projects keep them).")
    static final class Disable implements Callable<Integer> {
        @Mixin
        HubOptions options;

        @Parameters(paramLabel = "NAME", arity = "1..*")
        List<String> names = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (AdminSession s = new AdminSession(options)) {
                List<String> changed = s.tx(() -> s.services.selfService.catalog().disable(names));
                spec.commandLine().getOut().println(changed.isEmpty() ? "Already disabled: " + String.join(" ", names)
                        : "Disabled: " + String.join(" ", changed));
                return 0;
            }
        }
    }

    @Command(name = "list", description = "List the offered chroots (NAME ARCH, one a line).")
    static final class ListCmd implements Callable<Integer> {
        @Mixin
        HubOptions options;

        @Option(names = "--all", description = "also the disabled ones (marked 'disabled')")
        boolean all;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (AdminSession s = new AdminSession(options)) {
                List<ChrootCatalog.Entry> entries = s.tx(() -> s.services.selfService.catalog().list(all));
                for (ChrootCatalog.Entry e : entries) {
                    spec.commandLine().getOut().println(e.name() + " " + e.arch() + (e.enabled() ? "" : " disabled"));
                }
                return 0;
            }
        }
    }
}

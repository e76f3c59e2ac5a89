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
    /** add and disable: the same arguments and output, a different change to the catalog. */
    private abstract static class Change implements Callable<Integer> {
        @Mixin
        HubOptions options;

        @Parameters(paramLabel = "NAME", arity = "1..*")
        List<String> names = new ArrayList<>();

        @Spec
        CommandSpec spec;

        /** Applies the change; answers the names it changed. */
        abstract List<String> apply(ChrootCatalog catalog);

        abstract String done();

        abstract String already();

        @Override
        public Integer call() {
            try (AdminSession s = new AdminSession(options)) {
                List<String> changed = s.tx(() -> apply(s.services.selfService.catalog()));
                spec.commandLine().getOut().println(changed.isEmpty() ? already() + ": " + String.join(" ", names)
                        : done() + ": " + String.join(" ", changed));
                return 0;
            }
        }
    }

    @Command(name = "add", description = "Offer chroots (OS-VERSION-ARCH, e.g. fedora-43-x86_64); enables them again if disabled.")
    static final class Add extends Change {
        @Override
        List<String> apply(ChrootCatalog catalog) {
            return catalog.add(names);
        }

        @Override
        String done() {
            return "Offered";
        }

        @Override
        String already() {
            return "Already offered";
        }
    }

    @Command(name = "disable", description = "Stop offering chroots for new selections (existing projects keep them).")
    static final class Disable extends Change {
        @Override
        List<String> apply(ChrootCatalog catalog) {
            return catalog.disable(names);
        }

        @Override
        String done() {
            return "Disabled";
        }

        @Override
        String already() {
            return "Already disabled";
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

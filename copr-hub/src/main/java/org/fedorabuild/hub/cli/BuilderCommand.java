package org.fedorabuild.hub.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.hub.builder.BuilderTransport;
import org.fedorabuild.hub.builder.LocalTransport;
import org.fedorabuild.hub.builder.SshTransport;
import org.fedorabuild.hub.config.HubConfig;
import org.fedorabuild.hub.sandbox.Sandbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code copr-hub builder setup}: prepares a builder for sandboxed builds (build users, the sandbox script,
 * the sudo rule for a non-root login), over SSH or on this machine; {@code builder script} prints the script
 * for admins who install builders by other means.
 */
@Command(name = "builder", description = "Prepare builders for sandboxed builds (docs/build-isolation.md).",
        subcommands = {BuilderCommand.Setup.class, BuilderCommand.Script.class})
final class BuilderCommand {
    @Command(name = "setup", description = {"Create the build users (copr-build-0..N-1), install " + Sandbox.INSTALLED
            + " and let the builder's login run it with sudo -n.",
            "Over SSH (the hub's SSHKey and SSHKnownHosts; the login must be root or may run sudo -n), or --local as root."})
    static final class Setup implements Callable<Integer> {
        @Mixin
        HubOptions options;

        @Parameters(arity = "0..1", paramLabel = "USER@HOST[:PORT]", description = "the SSH builder, as in `host add --ssh`")
        String target;

        @Option(names = "--local", description = "this machine (the hub's --local-builder); run as root")
        boolean local;

        @Option(names = "--login", paramLabel = "USER", description = "with --local: the user the hub runs as, allowed to run"
                + " the sandbox with sudo -n")
        String login;

        @Option(names = "--slots", paramLabel = "N", defaultValue = "4",
                description = "build slots (one user each; at least the host's capacity; default: ${DEFAULT-VALUE})")
        int slots;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (local == (target != null)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give either USER@HOST[:PORT] or --local");
            }
            if (slots < 1 || slots > 256) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--slots must be 1..256, got " + slots);
            }
            HubConfig config = options.load(null);
            Path work = local ? Files.createTempDirectory("copr-hub-setup") : null;
            try (BuilderTransport t = local ? new LocalTransport(work)
                    : new SshTransport(SshTransport.Target.parse(target), config.builds().sshKey(), config.builds().sshKnownHosts(),
                            config.builds().sshConnectTimeout(), "copr-hub-builder")) {
                String out = local && login != null ? localWithLogin(t) : Sandbox.install(t, slots, Duration.ofMinutes(5));
                spec.commandLine().getOut().println(out);
                return 0;
            } catch (IOException e) {
                throw new GenericError(e.getMessage());
            } finally {
                if (work != null) {
                    Files.deleteIfExists(work);
                }
            }
        }

        /** Sandbox.install names the login it runs as; a hub that does not run as root needs its own user named. */
        private String localWithLogin(BuilderTransport t) throws IOException {
            Path script = Files.createTempFile("copr-hub-sandbox", ".sh");
            try {
                Files.write(script, Sandbox.script());
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                int rc = t.run("bash " + org.fedorabuild.hub.builder.Shell.quote(script.toString()) + " setup --slots " + slots
                        + " --login " + org.fedorabuild.hub.builder.Shell.quote(login), out, Duration.ofMinutes(5));
                String text = out.toString(java.nio.charset.StandardCharsets.UTF_8).strip();
                if (rc != 0) {
                    throw new IOException("builder set-up failed (exit " + rc + "): " + text);
                }
                return text;
            } finally {
                Files.deleteIfExists(script);
            }
        }
    }

    @Command(name = "script", description = "Print the sandbox script; on a builder, as root: bash SCRIPT setup --slots N --login USER")
    static final class Script implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(new String(Sandbox.script(), java.nio.charset.StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}

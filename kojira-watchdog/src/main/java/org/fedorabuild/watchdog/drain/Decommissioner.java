package org.fedorabuild.watchdog.drain;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import org.fedorabuild.process.Command;
import org.fedorabuild.process.CommandResult;
import org.fedorabuild.process.OutputDrain;
import org.fedorabuild.watchdog.config.WatchdogConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a drained builder out of service: over SSH (sshj, the host key checked against
 * {@code ssh_known_hosts}; never a promiscuous verifier) it runs {@code builder_stop_command}, then it runs
 * the local {@code decommission_hook} (e.g. delete the VM). Either step may be absent; a step that fails
 * fails the decommission and stops it there. The hook is split on whitespace and run without a shell,
 * {@code {host}} replaced by the host name, which is also in the environment as {@code KOJI_HOST}.
 */
public class Decommissioner {
    private static final Logger LOG = LoggerFactory.getLogger(Decommissioner.class);

    private final WatchdogConfig.Drain cfg;

    public Decommissioner(WatchdogConfig.Drain cfg) {
        this.cfg = cfg;
    }

    /** What happened; {@code ok} false names the failing step in {@code detail}. */
    public record Result(boolean ok, String detail) {
    }

    public Result decommission(String host) {
        return decommission(host, null);
    }

    /**
     * @param arches the host's arches (space separated, as Koji lists them); the first is {@code ARCH} for the hook
     */
    public Result decommission(String host, String arches) {
        List<String> done = new ArrayList<>();
        if (cfg.sshKey() != null) {
            try {
                String out = ssh(host);
                done.add("builder stopped over ssh (" + cfg.builderStopCommand() + ")" + (out.isBlank() ? "" : ": " + out.strip()));
            } catch (IOException | RuntimeException e) {
                LOG.warn("[host={}] decommission: ssh step failed: {}", host, e.toString());
                return new Result(false, "ssh to " + address(host) + " failed: " + e.getMessage());
            }
        }
        if (cfg.decommissionHook() != null && !cfg.decommissionHook().isBlank()) {
            try {
                done.add(hook(host, arches));
            } catch (IOException | RuntimeException e) {
                LOG.warn("[host={}] decommission: hook failed: {}", host, e.toString());
                return new Result(false, String.join("; ", done) + (done.isEmpty() ? "" : "; ") + "hook failed: "
                        + e.getMessage());
            }
        }
        if (done.isEmpty()) {
            done.add("no decommission step configured (ssh_key, decommission_hook)");
        }
        return new Result(true, String.join("; ", done));
    }

    String address(String host) {
        return cfg.sshHost().replace("{host}", host);
    }

    private String ssh(String host) throws IOException {
        long timeout = cfg.decommissionTimeout().toMillis();
        try (SSHClient ssh = new SSHClient()) {
            ssh.loadKnownHosts(cfg.sshKnownHosts().toFile());
            ssh.setConnectTimeout((int) Math.min(timeout, 30_000));
            ssh.setTimeout((int) timeout);
            ssh.connect(address(host), cfg.sshPort());
            ssh.authPublickey(cfg.sshUser(), ssh.loadKeys(cfg.sshKey().toString()));
            try (Session session = ssh.startSession()) {
                Session.Command cmd = session.exec(cfg.builderStopCommand().replace("{host}", host));
                String out;
                String err;
                try (OutputDrain drain = OutputDrain.start("decommission-" + host, cmd.getInputStream(),
                        cmd.getErrorStream(), null, 64 * 1024)) {
                    if (!drain.await(cfg.decommissionTimeout())) {
                        cmd.close();
                        throw new IOException("'" + cfg.builderStopCommand() + "' did not finish within "
                                + cfg.decommissionTimeout().toSeconds() + " s" + lastLines(drain.output()));
                    }
                    out = drain.stdout();
                    err = drain.stderr();
                    cmd.join(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cmd.close();
                    throw new IOException("interrupted while running '" + cfg.builderStopCommand() + "'", e);
                }
                Integer status = cmd.getExitStatus();
                if (status == null) {
                    throw new IOException("no exit status from '" + cfg.builderStopCommand() + "' (timed out or killed)");
                }
                if (status == 255) {
                    throw new IOException("connection error running '" + cfg.builderStopCommand() + "' (exit 255)");
                }
                if (status != 0) {
                    throw new IOException("'" + cfg.builderStopCommand() + "' exited " + status + lastLines(err + out));
                }
                return out.length() > 500 ? out.substring(out.length() - 500) : out;
            }
        }
    }

    private static String lastLines(String output) {
        return output.isBlank() ? "" : "; last output:\n" + CommandResult.tail(output, CommandResult.TAIL_LINES);
    }

    /**
     * The hook gets the builder command contract of copr-hub's pools (its {@code cmd_delete}): {@code POOL}
     * ({@code pool}), {@code NAME} (the Koji host name, also {@code KOJI_HOST}), {@code ARCH} and, when the
     * SSH step is configured, {@code ADDRESS} ({@code USER@HOST:PORT}); so one pool script serves both.
     */
    private String hook(String host, String arches) throws IOException {
        List<String> argv = new ArrayList<>();
        for (String token : cfg.decommissionHook().strip().split("\\s+")) {
            argv.add(token.replace("{host}", host));
        }
        Command c = Command.of(argv).env("KOJI_HOST", host).env("NAME", host).env("POOL", cfg.pool())
                .timeout(cfg.decommissionTimeout());
        if (arches != null && !arches.isBlank()) {
            c.env("ARCH", arches.strip().split("\\s+")[0]);
        }
        if (cfg.sshKey() != null) {
            c.env("ADDRESS", cfg.sshUser() + "@" + address(host) + ":" + cfg.sshPort());
        }
        CommandResult r = c.runChecked("decommission hook for " + host);
        String out = r.output().strip();
        out = out.length() > 500 ? out.substring(out.length() - 500) : out;
        return "hook '" + String.join(" ", argv) + "' ok" + (out.isEmpty() ? "" : ": " + out);
    }
}

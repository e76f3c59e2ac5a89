package org.fedorabuild.watchdog.drain;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
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
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(false, "interrupted while running the hook");
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
                String out = read(cmd.getInputStream());
                String err = read(cmd.getErrorStream());
                cmd.join(timeout, TimeUnit.MILLISECONDS);
                Integer status = cmd.getExitStatus();
                if (status == null) {
                    throw new IOException("no exit status from '" + cfg.builderStopCommand() + "' (timed out or killed)");
                }
                if (status == 255) {
                    throw new IOException("connection error running '" + cfg.builderStopCommand() + "' (exit 255)");
                }
                if (status != 0) {
                    throw new IOException("'" + cfg.builderStopCommand() + "' exited " + status + ": " + err.strip());
                }
                return out;
            }
        }
    }

    private static String read(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        String s = b.toString(StandardCharsets.UTF_8);
        return s.length() > 500 ? s.substring(0, 500) : s;
    }

    /**
     * The hook gets the builder command contract of copr-hub's pools (its {@code cmd_delete}): {@code POOL}
     * ({@code pool}), {@code NAME} (the Koji host name, also {@code KOJI_HOST}), {@code ARCH} and, when the
     * SSH step is configured, {@code ADDRESS} ({@code USER@HOST:PORT}); so one pool script serves both.
     */
    private String hook(String host, String arches) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        for (String token : cfg.decommissionHook().strip().split("\\s+")) {
            argv.add(token.replace("{host}", host));
        }
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("KOJI_HOST", host);
        env.put("NAME", host);
        env.put("POOL", cfg.pool());
        if (arches != null && !arches.isBlank()) {
            env.put("ARCH", arches.strip().split("\\s+")[0]);
        }
        if (cfg.sshKey() != null) {
            env.put("ADDRESS", cfg.sshUser() + "@" + address(host) + ":" + cfg.sshPort());
        }
        String out = run(argv, env, cfg.decommissionTimeout()).strip();
        return "hook '" + String.join(" ", argv) + "' ok" + (out.isEmpty() ? "" : ": " + out);
    }

    /**
     * Runs a local command without a shell (stdin closed, output merged and drained while it runs, the last
     * 500 characters kept), killed with its children after {@code timeout}; returns the output, or throws
     * naming the command and its exit status. The decommission hook and the scale command use it.
     */
    public static String run(List<String> argv, java.util.Map<String, String> env, java.time.Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        StringBuilder kept = new StringBuilder();
        Thread drain = new Thread(() -> {
            byte[] buf = new byte[4096];
            try (InputStream in = p.getInputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (kept) {
                        kept.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        if (kept.length() > 4000) {
                            kept.delete(0, kept.length() - 500);
                        }
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "hook-output");
        drain.setDaemon(true);
        drain.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IOException("'" + String.join(" ", argv) + "' did not finish within " + timeout.toSeconds() + " s");
        }
        drain.join(1000);
        String out;
        synchronized (kept) {
            out = kept.length() > 500 ? kept.substring(kept.length() - 500) : kept.toString();
        }
        if (p.exitValue() != 0) {
            throw new IOException("'" + String.join(" ", argv) + "' exited " + p.exitValue() + (out.isBlank() ? "" : ": " + out.strip()));
        }
        return out;
    }
}

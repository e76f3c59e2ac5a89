package org.fedorabuild.hub.pool;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedorabuild.hub.builder.SshTransport;
import org.fedorabuild.hub.config.BuildSettings;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.host.Hosts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one pool builder's life, each recorded in {@code pool_builders}: start (cmd_new, then SSH
 * logins until one works, then a Koji host), retire (host disabled; a dead builder's tasks back to the queue
 * once) and delete (cmd_delete, then the host is no longer driven). Commands run here block; the pool
 * manager runs them on its own threads.
 */
final class BuilderLife {
    private static final Logger LOG = LoggerFactory.getLogger(BuilderLife.class);
    private static final String ADDRESS = "([a-z_][a-z0-9_.-]*)@([A-Za-z0-9.-]+|\\[[0-9a-fA-F:]+\\])(?::(\\d{1,5}))?";

    private final Db db;
    private final Hosts hosts;
    private final BuildSettings ssh;
    private final PoolMetrics metrics;

    BuilderLife(Db db, Hosts hosts, BuildSettings ssh, PoolMetrics metrics) {
        this.db = db;
        this.hosts = hosts;
        this.ssh = ssh;
        this.metrics = metrics;
    }

    static Map<String, String> env(PoolSettings p, String name, String address) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("POOL", p.name());
        env.put("NAME", name);
        env.put("ARCH", p.arch());
        if (address != null) {
            env.put("ADDRESS", address);
        }
        return env;
    }

    /** Records a new builder; returns {id, name}. */
    Object[] reserve(PoolSettings p) {
        var r = db.queryOne("INSERT INTO pool_builders (pool, name, arch) VALUES (?, ? || '-' || currval('pool_builders_id_seq'), ?)"
                + " RETURNING id, name", p.name(), p.name(), p.arch()).orElseThrow();
        return new Object[] {r.get("id"), r.get("name")};
    }

    /** Runs cmd_new and waits for the first SSH login; true when the builder is a ready Koji host. */
    boolean start(PoolSettings p, int id, String name) throws InterruptedException {
        long t0 = System.nanoTime();
        String address = null;
        try {
            ExternalCommand.Result r = ExternalCommand.run(p.cmdNew(), env(p, name, null), p.startTimeout());
            if (!r.ok()) {
                return failed(p, id, name, null, r.describe("cmd_new", p.startTimeout()));
            }
            address = r.lastLine();
            if (!address.matches(ADDRESS)) {
                return failed(p, id, name, null, "cmd_new's last line is '" + (address.length() > 100 ? address.substring(0, 100) : address)
                        + "', expected USER@HOST[:PORT]");
            }
            db.update("UPDATE pool_builders SET address = ? WHERE id = ?", address, id);
            SshTransport.Target target = SshTransport.Target.parse(address);
            long deadline = t0 + p.startTimeout().toNanos();
            String fingerprint = null;
            String lastError = "no SSH login within start_timeout";
            while (System.nanoTime() < deadline) {
                Duration left = Duration.ofNanos(Math.max(1_000_000_000L, deadline - System.nanoTime()));
                Duration t = left.compareTo(ssh.sshConnectTimeout()) < 0 ? left : ssh.sshConnectTimeout();
                try {
                    if (p.trustOnStart()) {
                        fingerprint = SshTransport.learnHostKey(target, ssh.sshKey(), t);
                        break;
                    }
                    try (SshTransport probe = new SshTransport(target, ssh.sshKey(), ssh.sshKnownHosts(), t, "copr-hub-builder")) {
                        if (probe.run("true", new ByteArrayOutputStream(), t) == 0) {
                            break;
                        }
                    }
                } catch (java.io.IOException | RuntimeException e) {
                    lastError = e.getMessage();
                }
                Thread.sleep(300);
            }
            if (System.nanoTime() >= deadline) {
                return failed(p, id, name, address, "not reachable over SSH at " + address + " within " + p.startTimeout().toSeconds()
                        + " s: " + lastError);
            }
            String fp = fingerprint;
            String addr = address;
            db.tx(() -> {
                int host = hosts.add(name, p.arches(), p.capacity(), addr);
                hosts.setBackend(host, p.backend() == null || p.backend().equals("auto") ? null : p.backend());
                db.update("UPDATE hosts SET max_tasks = ?, ssh_host_key = ?, description = ? WHERE id = ?",
                        p.maxBuilds() == 0 ? null : p.maxBuilds(), fp, "builder of pool " + p.name(), host);
                db.update("UPDATE pool_builders SET state = 'ready', host_id = ?, ready_time = now() WHERE id = ?", host, id);
                return null;
            });
            double secs = (System.nanoTime() - t0) / 1e9;
            metrics.started(p.name(), secs);
            LOG.info("Host {} - ready (pool {}, {}{}) {} s after cmd_new", name, p.name(), address,
                    fp == null ? "" : ", host key " + fp + " learned", Math.round(secs * 10) / 10.0);
            return true;
        } catch (java.io.IOException | RuntimeException e) {
            return failed(p, id, name, address, "cmd_new: " + e);
        }
    }

    private boolean failed(PoolSettings p, int id, String name, String address, String why) throws InterruptedException {
        LOG.warn("Host {} - start failed (pool {}): {}", name, p.name(), why);
        metrics.startFailed(p.name());
        db.update("UPDATE pool_builders SET state = 'failed', end_time = now(), reason = ? WHERE id = ?", "start failed: " + why, id);
        cleanup(p, name, address);
        return false;
    }

    /** cmd_delete for a builder that never became a host: whatever cmd_new left behind goes. */
    void cleanup(PoolSettings p, String name, String address) throws InterruptedException {
        try {
            ExternalCommand.Result r = ExternalCommand.run(p.cmdDelete(), env(p, name, address), p.commandTimeout());
            if (!r.ok()) {
                LOG.warn("Host {} - cmd_delete after a failed start: {}", name, r.describe("cmd_delete", p.commandTimeout()));
            }
        } catch (java.io.IOException e) {
            LOG.warn("Host {} - cmd_delete after a failed start: {}", name, e.toString());
        }
    }

    /**
     * Takes the builder out of service. A live one only when it runs nothing (checked after its host row is
     * locked, so a dispatch round in flight finishes first); a dead one has its tasks put back to FREE.
     */
    boolean retire(String pool, int id, int hostId, String name, String reason, boolean dead) {
        return db.tx(() -> {
            db.query("SELECT id FROM hosts WHERE id = ? FOR UPDATE", hostId);
            var active = db.query("SELECT id FROM tasks WHERE host_id = ? AND state IN (1, 4) ORDER BY id", hostId);
            if (!active.isEmpty() && !dead) {
                return false;
            }
            for (var t : active) {
                db.update("UPDATE tasks SET state = 0, host_id = NULL, start_time = NULL WHERE id = ?", t.get("id"));
                LOG.info("Task {} - back to the queue: its builder {} is dead", t.get("id"), name);
            }
            db.update("UPDATE hosts SET enabled = false, ready = false, comment = ? WHERE id = ?", "retired by pool " + pool + ": "
                    + reason, hostId);
            db.update("UPDATE pool_builders SET state = 'retiring', retire_time = now(), reason = ? WHERE id = ?", reason, id);
            LOG.info("Host {} - retiring (pool {}): {}", name, pool, reason);
            return true;
        });
    }

    /** cmd_delete; on success the builder is gone and no hub drives its host any more. */
    void delete(PoolSettings p, int id, Integer hostId, String name, String address) throws InterruptedException {
        String error;
        try {
            ExternalCommand.Result r = ExternalCommand.run(p.cmdDelete(), env(p, name, address), p.commandTimeout());
            if (r.ok()) {
                db.tx(() -> {
                    db.update("UPDATE pool_builders SET state = 'gone', end_time = now(), last_error = NULL WHERE id = ?", id);
                    if (hostId != null) {
                        db.update("UPDATE hosts SET driver = NULL WHERE id = ?", hostId);
                    }
                    return null;
                });
                LOG.info("Host {} - deleted (pool {}, {})", name, p.name(), address);
                return;
            }
            error = r.describe("cmd_delete", p.commandTimeout());
        } catch (java.io.IOException e) {
            error = "cmd_delete: " + e;
        }
        metrics.failed(p.name(), "delete");
        LOG.warn("Host {} - cmd_delete failed (pool {}), retried in {} s: {}", name, p.name(), p.backoff().toSeconds(), error);
        db.update("UPDATE pool_builders SET last_error = ?, next_try = now() + make_interval(secs => ?) WHERE id = ?", error,
                (double) p.backoff().toSeconds(), id);
    }
}

package org.fedorabuild.hub.builder;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.SSHException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.sftp.RemoteResourceInfo;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.xfer.FileSystemFile;
import org.fedorabuild.process.OutputDrain;

/**
 * A builder reached over SSH with sshj: public-key login, the host key checked against a known_hosts file
 * (an unknown or changed key refuses the connection; there is no accept-all mode), files over SFTP.
 */
public final class SshTransport implements BuilderTransport {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SshTransport.class);
    /** Where and as whom to connect. */
    public record Target(String user, String host, int port) {
        /** {@code USER@HOST[:PORT]}, as {@code copr-hub host add --ssh} takes it. */
        public static Target parse(String spec) {
            int at = spec.indexOf('@');
            if (at <= 0 || at == spec.length() - 1) {
                throw new IllegalArgumentException("invalid ssh target '" + spec + "', expected USER@HOST[:PORT]");
            }
            String user = spec.substring(0, at);
            String rest = spec.substring(at + 1);
            int port = 22;
            int colon = rest.lastIndexOf(':');
            if (colon > 0 && !rest.endsWith("]")) {
                try {
                    port = Integer.parseInt(rest.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("invalid port in ssh target '" + spec + "'");
                }
                rest = rest.substring(0, colon);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("invalid port " + port + " in ssh target '" + spec + "'");
            }
            return new Target(user, rest.replace("[", "").replace("]", ""), port);
        }

        @Override
        public String toString() {
            return user + "@" + host + ":" + port;
        }
    }

    private final Target target;
    private final Path privateKey;
    private final Path knownHosts;
    private final String pinnedKey;
    private final Duration connectTimeout;
    private final String workRoot;
    private SSHClient ssh;

    public SshTransport(Target target, Path privateKey, Path knownHosts, Duration connectTimeout, String workRoot) {
        this(target, privateKey, knownHosts, null, connectTimeout, workRoot);
    }

    /**
     * @param pinnedKey the SHA256 fingerprint ({@code SHA256:…}) the builder's host key must have, learned at its
     *                  first connection (a pool with {@code host_key = trust-on-start}); null: known_hosts decides
     */
    public SshTransport(Target target, Path privateKey, Path knownHosts, String pinnedKey, Duration connectTimeout,
            String workRoot) {
        this.target = target;
        this.privateKey = privateKey;
        this.knownHosts = knownHosts;
        this.pinnedKey = pinnedKey;
        this.connectTimeout = connectTimeout;
        this.workRoot = workRoot;
    }

    /**
     * Trust on first use, for builders a pool just started: logs in accepting whatever host key the builder
     * shows, runs {@code true}, and returns that key's SHA256 fingerprint, which later connections require.
     */
    public static String learnHostKey(Target target, Path privateKey, Duration timeout) throws IOException {
        String[] seen = new String[1];
        try (SSHClient client = new SSHClient()) {
            client.addHostKeyVerifier(new net.schmizz.sshj.transport.verification.HostKeyVerifier() {
                @Override
                public boolean verify(String host, int port, java.security.PublicKey key) {
                    seen[0] = fingerprint(key);
                    return true;
                }

                @Override
                public List<String> findExistingAlgorithms(String host, int port) {
                    return List.of();
                }
            });
            client.setConnectTimeout((int) timeout.toMillis());
            client.setTimeout((int) timeout.toMillis());
            client.connect(target.host(), target.port());
            client.authPublickey(target.user(), client.loadKeys(privateKey.toString()));
            try (Session s = client.startSession()) {
                Session.Command c = s.exec("true");
                c.join(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!Integer.valueOf(0).equals(c.getExitStatus())) {
                    throw new IOException("'true' on " + target + " exited " + c.getExitStatus());
                }
            }
        } catch (UserAuthException e) {
            throw new BuilderUnreachableException("ssh login to " + target + " with key " + privateKey + " refused", e);
        }
        return seen[0];
    }

    /** OpenSSH's {@code SHA256:base64} fingerprint of a host key. */
    public static String fingerprint(java.security.PublicKey key) {
        byte[] blob = new net.schmizz.sshj.common.Buffer.PlainBuffer().putPublicKey(key).getCompactData();
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + java.util.Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String describe() {
        return "ssh " + target;
    }

    private synchronized SSHClient connection() throws IOException {
        if (ssh != null && ssh.isConnected() && ssh.isAuthenticated()) {
            return ssh;
        }
        close();
        // KEEP_ALIVE expects answers, so a builder that vanishes without closing the connection is noticed within
        // about the connect timeout, even while a silent build runs; idle connections are not cut by a read timeout.
        net.schmizz.sshj.DefaultConfig config = new net.schmizz.sshj.DefaultConfig();
        config.setKeepAliveProvider(net.schmizz.keepalive.KeepAliveProvider.KEEP_ALIVE);
        SSHClient client = new SSHClient(config);
        try {
            if (pinnedKey != null) {
                client.addHostKeyVerifier(pinnedKey);
            } else {
                client.addHostKeyVerifier(new OpenSSHKnownHosts(knownHosts.toFile()));
            }
            client.setConnectTimeout((int) connectTimeout.toMillis());
            client.setTimeout((int) connectTimeout.toMillis());
            client.connect(target.host(), target.port());
            client.authPublickey(target.user(), client.loadKeys(privateKey.toString()));
            client.getSocket().setSoTimeout(0);
            client.getConnection().getKeepAlive().setKeepAliveInterval((int) Math.max(1, connectTimeout.toSeconds() / 3));
            if (client.getConnection().getKeepAlive() instanceof net.schmizz.keepalive.KeepAliveRunner runner) {
                runner.setMaxAliveCount(3);
            }
        } catch (UserAuthException e) {
            closeQuietly(client);
            throw new BuilderUnreachableException("ssh login to " + target + " with key " + privateKey + " refused", e);
        } catch (TransportException e) {
            closeQuietly(client);
            throw new BuilderUnreachableException("ssh to " + target + " failed: " + e.getMessage()
                    + (pinnedKey != null ? " (the host key must be " + pinnedKey + ", learned at its start)"
                    : " (host keys are checked against " + knownHosts + ")"), e);
        } catch (IOException e) {
            closeQuietly(client);
            throw new BuilderUnreachableException("cannot connect to " + target + ": " + e.getMessage(), e);
        }
        ssh = client;
        return client;
    }

    private String remote(String path) {
        return path.startsWith("/") ? path : workRoot + "/" + path;
    }

    @Override
    public void put(Path local, String remotePath) throws IOException {
        String dest = remote(remotePath);
        try (SFTPClient sftp = connection().newSFTPClient()) {
            int slash = dest.lastIndexOf('/');
            if (slash > 0) {
                sftp.mkdirs(dest.substring(0, slash));
            }
            sftp.put(new FileSystemFile(local.toFile()), dest);
        } catch (SSHException e) {
            throw unreachable("upload of " + local.getFileName(), e);
        }
    }

    @Override
    public void get(String remotePath, Path local) throws IOException {
        try (SFTPClient sftp = connection().newSFTPClient()) {
            sftp.get(remote(remotePath), new FileSystemFile(local.toFile()));
        } catch (SSHException e) {
            throw unreachable("download of " + remotePath, e);
        }
    }

    @Override
    public List<String> list(String remoteDir) throws IOException {
        try (SFTPClient sftp = connection().newSFTPClient()) {
            String dir = remote(remoteDir);
            if (sftp.statExistence(dir) == null) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            for (RemoteResourceInfo info : sftp.ls(dir)) {
                if (info.isRegularFile()) {
                    names.add(info.getName());
                }
            }
            return names;
        } catch (SSHException e) {
            throw unreachable("listing " + remoteDir, e);
        }
    }

    @Override
    public int run(String command, OutputStream output, Duration timeout) throws IOException {
        SSHClient client = connection();
        Session session = null;
        boolean closeHere = true;
        try {
            session = client.startSession();
            String script = "mkdir -p " + Shell.quote(workRoot) + " && cd " + Shell.quote(workRoot) + " && { "
                    + command + "\n} </dev/null 2>&1";
            Session.Command cmd = session.exec("bash -c " + Shell.quote(script));
            // Both streams drained on their own threads; the remote side merges stderr, but a stray write to it must
            // not fill the channel window and stall the command.
            try (OutputDrain drain = OutputDrain.start("ssh-" + target.host(), cmd.getInputStream(), cmd.getErrorStream(),
                    output, 64 * 1024)) {
                if (!drain.await(timeout)) {
                    // sshd answers our channel close only once the remote command is gone, so closing here would
                    // block: the caller kills the command's process group (BuildExecution.cancel), then the channel
                    // closes in the background.
                    closeHere = false;
                    closeInBackground(session);
                    throw new CommandTimeoutException("command on " + target, timeout);
                }
                cmd.join(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeHere = false;
                closeInBackground(session);
                throw new IOException("interrupted while running a command on " + target, e);
            }
            Integer status = cmd.getExitStatus();
            if (status == null) {
                // No exit status means the channel closed under the command: its fate is unknown.
                throw new BuilderUnreachableException("connection to " + target + " lost while a command ran", null);
            }
            return status;
        } catch (SSHException e) {
            throw unreachable("command", e);
        } finally {
            if (closeHere && session != null) {
                try {
                    session.close();
                } catch (SSHException e) {
                    LOG.debug("closing a session on {}: {}", target, e.toString());
                }
            }
        }
    }

    private void closeInBackground(Session session) {
        Thread t = new Thread(() -> {
            try {
                session.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing an abandoned session on {}: {}", target, e.toString());
            }
        }, "ssh-close-" + target.host());
        t.setDaemon(true);
        t.start();
    }

    private BuilderUnreachableException unreachable(String what, SSHException e) {
        close();
        return new BuilderUnreachableException(what + " on " + target + " failed: " + e.getMessage(), e);
    }

    private static void closeQuietly(SSHClient client) {
        try {
            client.disconnect();
        } catch (IOException ignored) {
            // already broken
        }
    }

    @Override
    public synchronized void close() {
        if (ssh != null) {
            closeQuietly(ssh);
            ssh = null;
        }
    }
}

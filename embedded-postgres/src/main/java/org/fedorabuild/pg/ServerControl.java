package org.fedorabuild.pg;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, attaches to and stops the server of one base directory, each step under the directory's
 * lock so that processes starting at the same time agree on a single server.
 */
final class ServerControl {
    // The public class's logger: operators configure and grep one name for the server's lifecycle.
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);

    /** How to reach the server, and whether (and which postmaster) this process started. */
    record Endpoint(int port, String superuser, String password, Process launcher, long pid) {
        boolean startedHere() {
            return launcher != null;
        }
    }

    private final EmbeddedPostgresBuilder config;
    private final ServerFiles files;
    private final RunAs runAs;
    private final Postmaster postmaster;

    ServerControl(EmbeddedPostgresBuilder config, ServerFiles files) {
        this.config = config;
        this.files = files;
        this.runAs = RunAs.forCurrentProcess(config.serverUser);
        this.postmaster = new Postmaster(PgBinaries.locate(config.binDirectory),
                new CommandRunner(runAs, files.base, config.commandTimeout), files);
    }

    /** Initializes the cluster if needed, then reuses the running server or launches one. */
    Endpoint startOrAttach() throws IOException {
        Files.createDirectories(files.base);
        return files.locked(() -> {
            prepare();
            return postmaster.running() ? attach() : launch();
        });
    }

    /**
     * Stops the running server if it is the postmaster {@code ourPid}, or any with {@code force}.
     * Returns whether a server was stopped.
     */
    boolean stop(long ourPid, boolean force) throws IOException {
        if (!Files.isDirectory(files.pgdata)) {
            return false; // never initialized: nothing can be running
        }
        return files.locked(() -> {
            if (!postmaster.running()) {
                return false;
            }
            long pid = files.readPidFile().map(ServerFiles.PidFile::pid).orElse(-1L);
            if (!force && pid != ourPid) {
                log.info("{} - Leaving PostgreSQL pid {} running: this instance started pid {}, which is gone",
                        files.base, pid, ourPid);
                return false;
            }
            log.info("{} - Shutdown initiated...", files.base);
            postmaster.stop();
            return true;
        });
    }

    /** Gives the server user what it needs, then creates the cluster if absent. */
    private void prepare() throws IOException {
        runAs.makeTraversable(files.base);
        if (files.initialized()) {
            return;
        }
        if (!Files.isDirectory(files.pgdata)) {
            Files.createDirectory(files.pgdata, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        runAs.handOver(files.pgdata);
        files.createPassword(runAs);
        log.info("{} - Initializing data directory {} owned by OS user {} (fsync {})", files.base, files.pgdata,
                runAs.serverUser(), config.fsync ? "on" : "off");
        postmaster.initdb(config.superuser, config.fsync);
        // A fresh cluster has this superuser, whatever an older state file says.
        files.writeState(new ServerFiles.State(0, config.superuser, files.passwordFile));
    }

    private Endpoint attach() {
        ServerFiles.State state = files.readState().orElseThrow(() -> new EmbeddedPostgresException(
                "a PostgreSQL server runs on " + files.pgdata + " but the state file " + files.stateFile
                        + " is missing, so its port and password are unknown; stop it with pg_ctl -D "
                        + files.pgdata + " stop, then start again"));
        log.info("{} - Reusing the PostgreSQL server already running on port {}: another EmbeddedPostgres started"
                + " it, and stop() will leave it running", files.base, state.port());
        return new Endpoint(state.port(), state.superuser(), files.readPassword(state.passwordFile()), null, -1);
    }

    private Endpoint launch() throws IOException {
        // initdb fixed the superuser: the state file written then knows it better than a changed configuration.
        String superuser = files.readState().map(ServerFiles.State::superuser).orElse(config.superuser);
        String password = files.readPassword(files.passwordFile);
        int port = config.port != 0 ? config.port : freePort();
        files.writeState(new ServerFiles.State(port, superuser, files.passwordFile));
        Process launcher = postmaster.launch(port, config.fsync);
        long pid = files.readPidFile().map(ServerFiles.PidFile::pid).orElse(-1L);
        return new Endpoint(port, superuser, password, launcher, pid);
    }

    private static int freePort() throws IOException {
        // Another process may take the port before the server binds it; the start then fails with
        // "Address already in use" in the log, and starting again picks another port.
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

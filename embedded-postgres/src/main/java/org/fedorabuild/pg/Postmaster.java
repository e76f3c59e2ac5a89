package org.fedorabuild.pg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL binaries applied to one data directory: initdb, launch, status, stop.
 *
 * <p>The server is launched as {@code postgres -D ...} (through runuser under root), not with
 * {@code pg_ctl start}: pg_ctl double-forks, leaving the postmaster to PID 1, and where PID 1 does
 * not reap (containers) a crashed postmaster stays a zombie that blocks every later start. As our
 * child (or runuser's) it is reaped. Status and stop use pg_ctl, which only needs postmaster.pid.
 */
final class Postmaster {
    private static final Logger log = LoggerFactory.getLogger(Postmaster.class);
    private static final int START_ATTEMPTS = 5;

    private final PgBinaries bin;
    private final CommandRunner runner;
    private final ServerFiles files;

    Postmaster(PgBinaries bin, CommandRunner runner, ServerFiles files) {
        this.bin = bin;
        this.runner = runner;
        this.files = files;
    }

    /**
     * Creates the cluster. Host connections (the only ones reachable from outside the private
     * socket directory) need the superuser's SCRAM password, so other local users cannot connect.
     */
    void initdb(String superuser, boolean fsync) {
        List<String> cmd = new ArrayList<>(List.of(bin.initdb().toString(), "-D", files.pgdata.toString(),
                "-U", superuser, "--pwfile=" + files.passwordFile, "--auth=scram-sha-256",
                "-E", "UTF8", "--no-locale"));
        if (!fsync) {
            cmd.add("--no-sync");
        }
        runner.runChecked("initializing PostgreSQL data directory " + files.pgdata, cmd);
    }

    /** Whether a live server owns the data directory, per {@code pg_ctl status}. */
    boolean running() {
        CommandRunner.Result r = runner.run(List.of(bin.pgCtl().toString(), "status", "-D", files.pgdata.toString()));
        switch (r.exitCode()) {
            case 0:
                break;
            case 3: // no server running (a stale postmaster.pid of a dead process counts as none)
            case 4: // no accessible data directory
                return false;
            default:
                throw new EmbeddedPostgresException("checking the server of " + files.pgdata + " failed: " + r.describe());
        }
        Optional<ServerFiles.PidFile> pid = files.readPidFile();
        if (pid.isPresent() && ServerFiles.isZombie(pid.get().pid())) {
            throw new EmbeddedPostgresException("the postmaster of " + files.pgdata + " (pid " + pid.get().pid()
                    + ") died but was not reaped by its parent (a zombie, typical of a container whose PID 1 reaps"
                    + " no orphans); PostgreSQL cannot start on this directory until it is reaped: restart the"
                    + " container, or kill the zombie's parent");
        }
        return true;
    }

    /**
     * Starts the server on loopback {@code port} with its socket inside the data directory (never
     * /var/run/postgresql, unwritable for a normal user and shared with the system's server) and waits
     * until it accepts connections. Retries a start that failed only because processes of a killed
     * predecessor are still exiting (they detach from shared memory within moments).
     */
    Process launch(int port, boolean fsync) {
        List<String> cmd = new ArrayList<>(List.of(bin.postgres().toString(), "-D", files.pgdata.toString(),
                "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1", "-k", files.pgdata.toString()));
        if (!fsync) {
            // Not synchronous_commit=off: that loses just-committed transactions even when only the
            // server crashes; without fsync a commit still reaches the kernel, which is nearly as cheap.
            cmd.addAll(List.of("-c", "fsync=off", "-c", "full_page_writes=off"));
        }
        for (int attempt = 1; ; attempt++) {
            long logOffset = logSize();
            Process p = runner.startBackground(cmd, files.logFile);
            String failure = awaitReady(p, logOffset);
            if (failure == null) {
                return p;
            }
            String output = readLogFrom(logOffset);
            boolean predecessorExiting = output.contains("pre-existing shared memory block")
                    || output.contains("lock file \"postmaster.pid\" already exists");
            if (!predecessorExiting || attempt == START_ATTEMPTS) {
                throw new EmbeddedPostgresException("starting PostgreSQL on " + files.pgdata + " port " + port
                        + " failed: `" + runner.describe(cmd) + "` " + failure + "; server log " + files.logFile
                        + ":\n" + CommandRunner.tail(output, CommandRunner.TAIL_LINES));
            }
            log.info("{} - Processes of a previous server still hold the data directory; retrying start"
                    + " ({}/{})", files.pgdata, attempt, START_ATTEMPTS - 1);
            sleep(500L * attempt);
        }
    }

    /** Null once ready, else why not. The pid check skips a stale postmaster.pid saying "ready". */
    private String awaitReady(Process p, long logOffset) {
        long deadline = System.nanoTime() + runner.timeout().toNanos();
        while (true) {
            if (!p.isAlive()) {
                return "exited with code " + p.exitValue();
            }
            Optional<ServerFiles.PidFile> pid = files.readPidFile();
            if (pid.isPresent() && pid.get().ready()
                    && (pid.get().pid() == p.pid() || p.descendants().anyMatch(h -> h.pid() == pid.get().pid()))) {
                return null;
            }
            if (System.nanoTime() > deadline) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return "was not ready within " + runner.timeout().toSeconds() + " s and was killed";
            }
            sleep(50);
        }
    }

    /** {@code pg_ctl stop -m fast}: rolls back open transactions, disconnects clients, checkpoints. */
    void stop() {
        runner.runChecked("stopping PostgreSQL on " + files.pgdata, List.of(bin.pgCtl().toString(), "stop",
                "-D", files.pgdata.toString(), "-m", "fast", "-w", "-t", Long.toString(runner.timeout().toSeconds())));
    }

    private long logSize() {
        try {
            return Files.exists(files.logFile) ? Files.size(files.logFile) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private String readLogFrom(long offset) {
        Path f = files.logFile;
        try (InputStream in = Files.newInputStream(f)) {
            in.skipNBytes(offset);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + f + ": " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedPostgresException("interrupted while waiting for PostgreSQL", e);
        }
    }
}

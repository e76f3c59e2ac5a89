package org.fedorabuild.hub.builder;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One rebuild on one builder: a fresh task directory, the SRPM copied in, the backend's command run in its
 * own process group with its output streamed to the task log, the RPMs and logs copied back, the task
 * directory removed. A cancel kills the process group through any transport.
 */
public final class BuildExecution {
    private static final String PID_FILE = ".pid";

    /**
     * What to build.
     *
     * @param buildrootRpms packages the rpmbuild backend registers as installed (the project's published
     *     RPMs, so a chain's earlier results); mock ignores them and uses {@code repoUrls}
     * @param repoUrls      extra repositories for mock's buildroot (the project repository, extra repos)
     */
    public record Job(long taskId, String chroot, Path srpm, Duration timeout, List<Path> buildrootRpms,
            List<String> repoUrls) {
        public Job(long taskId, String chroot, Path srpm, Duration timeout) {
            this(taskId, chroot, srpm, timeout, List.of(), List.of());
        }

        String dir() {
            return "task-" + taskId;
        }
    }

    /** How it ended: the exit status and the files now in the local result directory. */
    public record Outcome(int exitStatus, List<Path> files) {
        public boolean succeeded() {
            return exitStatus == 0;
        }
    }

    private final BuilderTransport transport;
    private final BuildBackend backend;

    public BuildExecution(BuilderTransport transport, BuildBackend backend) {
        this.transport = transport;
        this.backend = backend;
    }

    public Outcome run(Job job, Path resultDir, OutputStream log) throws IOException {
        String dir = job.dir();
        String srpmName = job.srpm().getFileName().toString();
        transport.run("rm -rf " + Shell.quote(dir), OutputStream.nullOutputStream(), Duration.ofMinutes(2));
        transport.put(job.srpm(), dir + "/" + srpmName);
        if (backend == BuildBackend.RPMBUILD) {
            for (Path rpm : job.buildrootRpms()) {
                transport.put(rpm, dir + "/deps/" + rpm.getFileName());
            }
        }
        log.write(("copr-hub: building " + srpmName + " for " + job.chroot() + " on " + transport.describe() + " with "
                + backend.name().toLowerCase() + "\n").getBytes(StandardCharsets.UTF_8));
        String command = "cd " + Shell.quote(dir) + " && "
                + Shell.inOwnSession(backend.rebuildCommand(job.chroot(), srpmName, job.repoUrls()), PID_FILE);
        int status;
        try {
            status = transport.run(command, log, job.timeout());
        } catch (CommandTimeoutException e) {
            // Closing an SSH channel does not end the remote build: kill its process group, as a cancel does.
            try {
                cancel(job.taskId());
            } catch (IOException killFailed) {
                e.addSuppressed(killFailed);
            }
            throw e;
        }
        Files.createDirectories(resultDir);
        List<Path> files = new ArrayList<>();
        for (String name : transport.list(dir + "/results")) {
            if (name.endsWith(".rpm") || name.endsWith(".log")) {
                Path local = resultDir.resolve(name);
                transport.get(dir + "/results/" + name, local);
                files.add(local);
            }
        }
        transport.run("rm -rf " + Shell.quote(dir), OutputStream.nullOutputStream(), Duration.ofMinutes(2));
        return new Outcome(status, files);
    }

    /** Kills a running build of {@code taskId} on this builder, if any. */
    public void cancel(long taskId) throws IOException {
        String pid = "task-" + taskId + "/" + PID_FILE;
        transport.run(Shell.killSession(pid), OutputStream.nullOutputStream(), Duration.ofSeconds(30));
    }
}

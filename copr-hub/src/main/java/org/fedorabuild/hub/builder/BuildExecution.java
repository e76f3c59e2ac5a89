package org.fedorabuild.hub.builder;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fedorabuild.hub.sandbox.Sandbox;
import org.fedorabuild.hub.sandbox.SandboxLimits;

/**
 * One rebuild on one builder: a fresh task directory, the SRPM copied in, the backend's command run in the
 * builder's sandbox ({@link Sandbox}: a build slot's own user, bubblewrap, limits) with its output streamed
 * to the task log, the RPMs and logs copied back, the task directory removed. A cancel ends every process
 * of the build's slot user through any transport.
 */
public final class BuildExecution {

    /**
     * What to build.
     *
     * @param buildrootRpms packages the rpmbuild backend registers as installed (the project's published
     *     RPMs, so a chain's earlier results); mock ignores them and uses {@code repoUrls}
     * @param repoUrls      extra repositories for mock's buildroot (the project repository, extra repos)
     * @param network       whether the build may use the network (the project's {@code enable_net})
     * @param buildRepoRpms packages the hub fetched from build repositories for the rpmbuild backend
     * @param extraPackages the chroot's extra packages, installed besides the BuildRequires
     */
    public record Job(long taskId, String chroot, Path srpm, Duration timeout, List<Path> buildrootRpms,
            List<String> repoUrls, boolean network, List<Path> buildRepoRpms, List<String> extraPackages) {
        public Job(long taskId, String chroot, Path srpm, Duration timeout) {
            this(taskId, chroot, srpm, timeout, List.of(), List.of(), false, List.of(), List.of());
        }

        public Job(long taskId, String chroot, Path srpm, Duration timeout, List<Path> buildrootRpms, List<String> repoUrls) {
            this(taskId, chroot, srpm, timeout, buildrootRpms, repoUrls, false, List.of(), List.of());
        }

        String dir() {
            return "task-" + taskId;
        }
    }

    /**
     * How it ended: the exit status, the files now in the local result directory, and the sandbox limit that
     * stopped it ({@code "process limit (64)"}), or null.
     */
    public record Outcome(int exitStatus, List<Path> files, String limitExceeded) {
        public boolean succeeded() {
            return exitStatus == 0;
        }
    }

    /** Time the hub waits past the sandbox's own wall limit before it gives up on the command. */
    private static final Duration GRACE = Duration.ofMinutes(2);

    private final BuilderTransport transport;
    private final BuildBackend backend;
    private final SandboxLimits limits;

    public BuildExecution(BuilderTransport transport, BuildBackend backend) {
        this(transport, backend, SandboxLimits.defaults());
    }

    public BuildExecution(BuilderTransport transport, BuildBackend backend, SandboxLimits limits) {
        this.transport = transport;
        this.backend = backend;
        this.limits = limits;
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
            for (Path rpm : job.buildRepoRpms()) {
                transport.put(rpm, dir + "/brdeps/" + rpm.getFileName());
            }
        }
        log.write(("copr-hub: building " + srpmName + " for " + job.chroot() + " on " + transport.describe() + " with "
                + backend.name().toLowerCase() + "\n").getBytes(StandardCharsets.UTF_8));
        String command = Sandbox.run(job.taskId(), dir, job.network(), limits, job.timeout(),
                backend.rebuildCommand(job.chroot(), srpmName, job.repoUrls(), job.extraPackages()), backend == BuildBackend.MOCK);
        int status;
        try {
            status = transport.run(command, log, job.timeout().plus(GRACE));
        } catch (CommandTimeoutException e) {
            // Closing an SSH channel does not end the remote build: end its slot user's processes, as a cancel does.
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
        return new Outcome(status, files, limits.exceeded(status, job.timeout().toSeconds()));
    }

    /** Ends a running build of {@code taskId} on this builder, if any. */
    public void cancel(long taskId) throws IOException {
        transport.run(Sandbox.cancel("task-" + taskId), OutputStream.nullOutputStream(), Duration.ofSeconds(30));
    }
}

package org.fedorabuild.hub.scm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fedorabuild.hub.builder.BuildBackend;
import org.fedorabuild.hub.builder.BuilderTransport;
import org.fedorabuild.hub.builder.Shell;
import org.fedorabuild.hub.sandbox.Sandbox;
import org.fedorabuild.hub.sandbox.SandboxLimits;

/**
 * The SRPM of a build submitted as a {@code .spec} URL: the hub fetched the spec and its Source URLs (a
 * {@code fetchSource} task); here they are copied to the builder and {@code rpmbuild -bs} runs in the
 * builder's sandbox without network, as for SCM builds, because reading a spec runs its shell macros.
 */
public final class SpecSrpmMaker {
    /** The "SCM URL" of a buildSRPMFromSCM task that makes the SRPM of fetch task N's spec: {@code copr-hub-spec:N}. */
    public static final String MARKER = "copr-hub-spec:";

    private final BuilderTransport transport;
    private final SandboxLimits limits;

    public SpecSrpmMaker(BuilderTransport transport, SandboxLimits limits) {
        this.transport = transport;
        this.limits = limits;
    }

    /** @param files the spec (first) and the Source files the hub fetched */
    public Path make(long taskId, List<Path> files, String chroot, Path resultDir, OutputStream log, Duration timeout)
            throws IOException {
        String dir = "task-" + taskId;
        transport.run("rm -rf " + Shell.quote(dir), OutputStream.nullOutputStream(), Duration.ofMinutes(2));
        for (Path f : files) {
            transport.put(f, dir + "/src/" + f.getFileName());
        }
        String spec = files.get(0).getFileName().toString();
        String dist = BuildBackend.distTag(chroot);
        log.write(("copr-hub: making the SRPM of " + spec + " on " + transport.describe() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        int status = transport.run(Sandbox.run(taskId, dir, false, limits, timeout, "cd src && mkdir -p /builddir/results"
                + " && rpmbuild -bs --define \"_sourcedir $PWD\" --define \"_srcrpmdir /builddir/results\""
                + (dist == null ? "" : " --define " + Shell.quote("dist " + dist)) + " " + Shell.quote(spec)), log, timeout.plusMinutes(2));
        if (status != 0) {
            throw new IOException("making the SRPM from " + spec + " failed (exit " + status + "); see the task's build log");
        }
        List<String> srpms = transport.list(dir + "/results").stream().filter(n -> n.endsWith(".src.rpm")).toList();
        if (srpms.size() != 1) {
            throw new IOException("expected one SRPM from " + spec + ", found " + srpms);
        }
        Files.createDirectories(resultDir);
        Path local = resultDir.resolve(srpms.get(0));
        transport.get(dir + "/results/" + srpms.get(0), local);
        transport.run("rm -rf " + Shell.quote(dir), OutputStream.nullOutputStream(), Duration.ofMinutes(2));
        return local;
    }
}

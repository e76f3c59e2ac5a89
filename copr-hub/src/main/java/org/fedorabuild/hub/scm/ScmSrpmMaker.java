package org.fedorabuild.hub.scm;

import java.io.IOException;
import java.io.InputStream;
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
 * Koji's {@code buildSRPMFromSCM} on a builder: clone at exactly the named commit, fetch the dist-git
 * sources from the lookaside cache (checksums verified), {@code rpmbuild -bs}. The fetching runs on the
 * builder outside the sandbox (it runs no package code); {@code rpmbuild -bs} runs in the builder's sandbox
 * without network, because reading a spec file executes its shell macros.
 */
public final class ScmSrpmMaker {
    private static final String SCRIPT = "srpm-from-scm.sh";

    /** Inside the sandbox: the spec the fetch step found ({@code spec-path}, relative to the checkout) to an SRPM. */
    private static final String MAKE_SRPM = "p=$(cat spec-path) && cd \"checkout/$(dirname \"$p\")\" && mkdir -p /builddir/results"
            + " && rpmbuild -bs --define \"_sourcedir $PWD\" --define \"_srcrpmdir /builddir/results\"";

    private final BuilderTransport transport;
    private final String lookasideUrl;
    private final SandboxLimits limits;

    /** @param lookasideUrl e.g. {@code https://src.fedoraproject.org/repo/pkgs}; empty when there is none */
    public ScmSrpmMaker(BuilderTransport transport, String lookasideUrl) {
        this(transport, lookasideUrl, SandboxLimits.defaults());
    }

    public ScmSrpmMaker(BuilderTransport transport, String lookasideUrl, SandboxLimits limits) {
        this.transport = transport;
        this.lookasideUrl = lookasideUrl == null ? "" : lookasideUrl.replaceAll("/+$", "");
        this.limits = limits;
    }

    /**
     * @return the SRPM copied into {@code resultDir}
     * @throws IOException with the script's own message when it failed (the log holds the details)
     */
    public Path make(long taskId, ScmUrl url, String chroot, Path resultDir, OutputStream log, Duration timeout)
            throws IOException {
        String dir = "task-" + taskId;
        Path script = Files.createTempFile("srpm-from-scm", ".sh");
        try (InputStream in = ScmSrpmMaker.class.getResourceAsStream(SCRIPT)) {
            Files.write(script, in.readAllBytes());
            transport.run("rm -rf " + Shell.quote(dir), OutputStream.nullOutputStream(), Duration.ofMinutes(2));
            transport.put(script, dir + "/" + SCRIPT);
        } finally {
            Files.deleteIfExists(script);
        }
        String dist = BuildBackend.distTag(chroot);
        String command = "cd " + Shell.quote(dir) + " && bash " + SCRIPT + " " + String.join(" ", List.of(
                Shell.quote(url.cloneUrl()), Shell.quote(url.revision()), Shell.quote(url.subdir()),
                Shell.quote(lookasideUrl)));
        int status = transport.run(command, log, timeout);
        if (status == 0) {
            status = transport.run(Sandbox.run(taskId, dir, false, limits, timeout, MAKE_SRPM
                    + (dist == null ? "" : " --define " + Shell.quote("dist " + dist)) + " \"$(basename \"$p\")\""),
                    log, timeout.plusMinutes(2));
        }
        if (status != 0) {
            throw new IOException("making the SRPM from " + url.cloneUrl() + "#" + url.revision() + " failed (exit "
                    + status + "); see the task's build log");
        }
        List<String> srpms = transport.list(dir + "/results").stream().filter(n -> n.endsWith(".src.rpm")).toList();
        if (srpms.size() != 1) {
            throw new IOException("expected one SRPM from " + url.cloneUrl() + ", found " + srpms);
        }
        Files.createDirectories(resultDir);
        Path local = resultDir.resolve(srpms.get(0));
        transport.get(dir + "/results/" + srpms.get(0), local);
        transport.run("rm -rf " + Shell.quote(dir), OutputStream.nullOutputStream(), Duration.ofMinutes(2));
        return local;
    }
}

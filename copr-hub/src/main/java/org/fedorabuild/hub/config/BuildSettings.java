package org.fedorabuild.hub.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * The build part of the hub configuration: uploads, SCM sources, builders, results and repositories.
 *
 * @param storageRoot       results and dnf repositories: {@code OWNER/PROJECT/CHROOT/BUILD/…}
 * @param uploadMaxSize     largest uploaded file in bytes
 * @param uploadMaxAge      uploads not built from within this time are deleted
 * @param lookasideUrl      dist-git lookaside cache for SCM builds ({@code sources} files); empty: none
 * @param scmSchemes        SCM URL schemes accepted by build()
 * @param buildBackend      {@code auto} (mock where the builder has it, else rpmbuild), {@code mock}, {@code rpmbuild}
 * @param buildTimeout      longest build command; past it the build is killed and the task fails
 * @param sshKey            private key the hub logs in to SSH builders with
 * @param sshKnownHosts     known_hosts their host keys are verified against (unknown keys are refused)
 * @param sshConnectTimeout connect and read timeout of SSH builders
 * @param dispatchInterval  how often the dispatcher assigns free tasks and checks running ones
 * @param hostCheckInterval how often the hub checks in the builders it drives (heartbeat)
 * @param sandboxLimits     CPU, memory, disk and process limits of each build in its builder's sandbox
 */
public record BuildSettings(Path storageRoot, long uploadMaxSize, Duration uploadMaxAge, String lookasideUrl,
        Set<String> scmSchemes, String buildBackend, Duration buildTimeout, Path sshKey, Path sshKnownHosts,
        Duration sshConnectTimeout, Duration dispatchInterval, Duration hostCheckInterval,
        org.fedorabuild.hub.sandbox.SandboxLimits sandboxLimits) {

    /** The work area: uploads ({@code uploads/USER/…}) and task outputs ({@code tasks/ID%10000/ID/…}). */
    public static Path workDir(Path dataDir) {
        return dataDir.resolve("work");
    }
}

package org.fedorabuild.hub.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.fedorabuild.hub.testing.LoopbackSshd;
import org.fedorabuild.hub.testing.TinyPackages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildExecutionTest {
    @TempDir
    static Path tmp;
    static LoopbackSshd sshd;

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = LoopbackSshd.start(tmp.resolve("sshd"));
    }

    @AfterAll
    static void stopSshd() {
        if (sshd != null) {
            sshd.close();
        }
    }

    private SshTransport ssh(Path knownHosts) {
        return new SshTransport(new SshTransport.Target(sshd.user(), "127.0.0.1", sshd.port()), sshd.clientKey(),
                knownHosts, Duration.ofSeconds(10), tmp.resolve("remote-root").toString());
    }

    @Test
    void rebuildsAnSrpmOverSsh() throws Exception {
        Path srpm = TinyPackages.srpm(tmp, "hello-ssh", "1.0", 0);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (SshTransport t = ssh(sshd.knownHosts())) {
            BuildExecution.Outcome out = new BuildExecution(t, BuildBackend.RPMBUILD)
                    .run(new BuildExecution.Job(11, "fedora-40-x86_64", srpm, Duration.ofMinutes(2)), tmp.resolve("res-ssh"), log);
            String text = log.toString(StandardCharsets.UTF_8);
            assertTrue(out.succeeded(), text);
            List<String> names = out.files().stream().map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("hello-ssh-1.0-1.fc40.noarch.rpm", "hello-ssh-1.0-1.fc40.src.rpm"), names);
            assertTrue(text.contains("Wrote:"), "rpmbuild output streamed into the log: " + text);
            assertFalse(Files.exists(tmp.resolve("remote-root/task-11")), "task directory removed on the builder");
        }
    }

    @Test
    void aBuildOverSshThatOverrunsIsKilledOnTheBuilderWithItsWholeProcessGroup() throws Exception {
        Path srpm = TinyPackages.srpm(tmp, "slow-ssh", "1.0", 120);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (SshTransport t = ssh(sshd.knownHosts())) {
            long start = System.nanoTime();
            assertThrows(CommandTimeoutException.class, () -> new BuildExecution(t, BuildBackend.RPMBUILD)
                    .run(new BuildExecution.Job(13, "fedora-40-x86_64", srpm, Duration.ofSeconds(4)), tmp.resolve("res-slow"), log));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(40).toNanos(), "the overrun was noticed in time");
            // The loopback builder is this machine: the build's process group must be gone, not left sleeping.
            long pgid = Long.parseLong(Files.readString(tmp.resolve("remote-root/task-13/.pid")).strip());
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (ProcessHandle.of(pgid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            assertFalse(ProcessHandle.of(pgid).map(ProcessHandle::isAlive).orElse(false), "build session " + pgid + " killed");
            assertTrue(ProcessHandle.allProcesses().noneMatch(h -> h.info().commandLine().orElse("").contains("slow-ssh")),
                    "no process of the build left");
        }
    }

    @Test
    void failedBuildKeepsItsLogAndStatus() throws Exception {
        String spec = TinyPackages.spec("needs-missing", "1.0", 0, List.of("no-such-package-xyz >= 2"), List.of());
        Path srpm = TinyPackages.srpm(tmp, "needs-missing", spec);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (LocalTransport t = new LocalTransport(tmp.resolve("local-root"))) {
            BuildExecution.Outcome out = new BuildExecution(t, BuildBackend.RPMBUILD)
                    .run(new BuildExecution.Job(12, "fedora-40-x86_64", srpm, Duration.ofMinutes(2)), tmp.resolve("res-fail"), log);
            assertNotEquals(0, out.exitStatus());
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("no-such-package-xyz"), log.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void rpmbuildBackendResolvesBuildRequiresAgainstTheGivenBuildrootOnly() throws Exception {
        Path libSrpm = TinyPackages.srpm(tmp, "libdep", TinyPackages.spec("libdep", "2.5", 0, List.of(), List.of("libdep-api = 2.5")));
        Path appSrpm = TinyPackages.srpm(tmp, "appdep", TinyPackages.spec("appdep", "1.0", 0, List.of("libdep-api >= 2"), List.of()));
        try (LocalTransport t = new LocalTransport(tmp.resolve("deps-root"))) {
            BuildExecution exec = new BuildExecution(t, BuildBackend.RPMBUILD);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            BuildExecution.Outcome missing = exec.run(new BuildExecution.Job(21, "fedora-40-x86_64", appSrpm,
                    Duration.ofMinutes(2)), tmp.resolve("res-missing"), log);
            assertNotEquals(0, missing.exitStatus());
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("libdep-api >= 2 is needed by appdep"), log.toString());
            BuildExecution.Outcome lib = exec.run(new BuildExecution.Job(22, "fedora-40-x86_64", libSrpm, Duration.ofMinutes(2)),
                    tmp.resolve("res-lib"), java.io.OutputStream.nullOutputStream());
            List<Path> libRpms = lib.files().stream().filter(p -> p.toString().endsWith(".noarch.rpm")).toList();
            assertEquals(1, libRpms.size(), lib.files().toString());
            ByteArrayOutputStream log2 = new ByteArrayOutputStream();
            BuildExecution.Outcome app = exec.run(new BuildExecution.Job(23, "fedora-40-x86_64", appSrpm, Duration.ofMinutes(2),
                    libRpms, List.of()), tmp.resolve("res-app"), log2);
            assertTrue(app.succeeded(), log2.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void unknownHostKeyIsRefused() throws Exception {
        try (SshTransport t = ssh(sshd.wrongKnownHosts())) {
            BuilderUnreachableException e = assertThrows(BuilderUnreachableException.class,
                    () -> t.run("true", new ByteArrayOutputStream(), Duration.ofSeconds(10)));
            assertTrue(e.getMessage().contains("known_hosts"), e.getMessage());
        }
    }

    @Test
    void cancelKillsTheBuildProcessGroup() throws Exception {
        Path srpm = TinyPackages.srpm(tmp, "slow-one", "1.0", 120);
        try (SshTransport t = ssh(sshd.knownHosts()); SshTransport control = ssh(sshd.knownHosts())) {
            BuildExecution exec = new BuildExecution(t, BuildBackend.RPMBUILD);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            CompletableFuture<BuildExecution.Outcome> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return exec.run(new BuildExecution.Job(13, "fedora-40-x86_64", srpm, Duration.ofMinutes(5)), tmp.resolve("res-cancel"), log);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            long deadline = System.currentTimeMillis() + 30_000;
            while (!log.toString(StandardCharsets.UTF_8).contains("sleep 120") && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            long start = System.nanoTime();
            new BuildExecution(control, BuildBackend.RPMBUILD).cancel(13);
            BuildExecution.Outcome out = running.get();
            assertNotEquals(0, out.exitStatus());
            assertTrue(System.nanoTime() - start < 20_000_000_000L, "cancel ended the build promptly");
        }
    }
}

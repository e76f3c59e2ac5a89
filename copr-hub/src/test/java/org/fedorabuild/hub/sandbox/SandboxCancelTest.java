package org.fedorabuild.hub.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedorabuild.hub.testing.TestSandbox;
import org.fedorabuild.process.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cancel names a build by its task directory. When the run of that directory died without cleaning up (its
 * builder's sshd killed, its hub killed), the slot it had may since run another build: cancelling the dead run
 * must leave that build alone, and cancelling the live one must end it.
 */
class SandboxCancelTest {
    @TempDir
    Path tmp;

    static String sh(String script) throws Exception {
        return Command.of("bash", "-c", script).timeout(Duration.ofSeconds(60)).runChecked(script).stdout().strip();
    }

    @Test
    void cancellingARunThatDiedLeavesTheSlotsNextBuildAlone() throws Exception {
        TestSandbox.setUp();
        Path live = Files.createDirectories(tmp.resolve("live"));
        Path dead = Files.createDirectories(tmp.resolve("dead"));
        Process run = new ProcessBuilder(List.of(Sandbox.INSTALLED, "run", "1", live.toString(), "0", "60", String.valueOf(256L << 20),
                String.valueOf(64L << 20), "32", "60", "echo started; exec sleep 50"))
                .redirectErrorStream(true).start();
        try {
            // the run says which slot it took before it starts the command
            String first = new java.io.BufferedReader(new java.io.InputStreamReader(run.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8)).readLine();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("in slot (\\d+) as (copr-build-\\d+)")
                    .matcher(String.valueOf(first));
            assertTrue(m.find(), first);
            String slot = m.group(1);
            String user = m.group(2);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sh("pgrep -u " + user + " -x sleep || true").isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the build's sleep never started");
                Thread.sleep(50);
            }
            // what a run killed mid-way leaves behind: its directory's record naming the same slot
            String deadKey = sh("printf '%s' " + dead.toRealPath() + " | sha256sum | cut -c1-32");
            Files.writeString(Path.of("/run/copr-hub-sandbox/task-" + deadKey), slot + "\n");
            Command.of(Sandbox.INSTALLED, "cancel", dead.toString()).timeout(Duration.ofSeconds(30)).runChecked("cancel dead");
            assertTrue(run.isAlive() && !sh("pgrep -u " + user + " -x sleep || true").isEmpty(),
                    "the live build survives a cancel of the dead one");
            assertTrue(Files.notExists(Path.of("/run/copr-hub-sandbox/task-" + deadKey)), "the stale record is gone");

            Command.of(Sandbox.INSTALLED, "cancel", live.toString()).timeout(Duration.ofSeconds(30)).runChecked("cancel live");
            assertTrue(run.waitFor(30, TimeUnit.SECONDS), "the cancelled build ends");
            assertEquals("", sh("pgrep -u " + user + " || true"), "nothing of it survives");
        } finally {
            run.destroyForcibly();
        }
    }
}

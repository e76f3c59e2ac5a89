package org.fedorabuild.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandTest {

    @Test
    void aHungCommandIsKilledWithItsWholeTreeAndTheErrorShowsItsLastLines(@TempDir Path dir) throws Exception {
        Path pids = dir.resolve("pids");
        // A child and a grandchild that both hang, and output before the hang.
        String script = "for i in $(seq 1 50); do echo line-$i; done; "
                + "bash -c 'sleep 300 & echo $! >> " + pids + "; sleep 301' & echo $! >> " + pids + "; "
                + "echo $$ >> " + pids + "; wait";
        long start = System.nanoTime();
        CommandException e = assertThrows(CommandException.class,
                () -> Command.of("bash", "-c", script).timeout(Duration.ofSeconds(2)).run());
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.timedOut(), e.getMessage());
        assertTrue(tookMs < 10_000, "run returned after " + tookMs + " ms");
        assertTrue(e.getMessage().contains("did not finish within 2 s"), e.getMessage());
        assertTrue(e.getMessage().contains("line-50"), e.getMessage());
        assertFalse(e.getMessage().contains("line-30\n"), "only the last lines: " + e.getMessage());
        assertTrue(e.getMessage().contains("bash -c"), e.getMessage());
        for (String pid : Files.readAllLines(pids)) {
            long id = Long.parseLong(pid.strip());
            ProcessHandle.of(id).ifPresent(h -> {
                h.onExit().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();
            });
            assertFalse(ProcessHandle.of(id).map(ProcessHandle::isAlive).orElse(false), "process " + id + " survived");
        }
    }

    @Test
    void megabytesOnBothStreamsNeitherBlockNorExhaustMemory() throws Exception {
        AtomicLong seen = new AtomicLong();
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) {
                seen.incrementAndGet();
            }

            @Override
            public void write(byte[] b, int off, int len) {
                seen.addAndGet(len);
            }
        };
        // 16 MiB on stdout and 8 MiB on stderr, far beyond a pipe buffer, then a last line on each.
        CommandResult r = Command.of("bash", "-c",
                "head -c 16777216 /dev/zero | tr '\\0' 'x'; echo; echo out-end; "
                        + "head -c 8388608 /dev/zero | tr '\\0' 'y' >&2; echo >&2; echo err-end >&2")
                .timeout(Duration.ofSeconds(60)).outputLimit(64 * 1024).streamTo(counting).run();
        assertEquals(0, r.exitCode());
        assertTrue(r.truncated());
        assertTrue(r.stdout().endsWith("out-end\n"), r.stdout().substring(r.stdout().length() - 20));
        assertTrue(r.stderr().endsWith("err-end\n"));
        assertTrue(r.stdout().length() <= 64 * 1024, "kept " + r.stdout().length());
        assertEquals(16777216 + 1 + 8 + 8388608 + 1 + 8, seen.get());
    }

    @Test
    void nonZeroExitNamesCommandCodeAndOutput() {
        CommandException e = assertThrows(CommandException.class, () -> Command.of("sh", "-c", "echo nope >&2; exit 3")
                .runChecked("checking things"));
        assertEquals(CommandException.Reason.EXIT_STATUS, e.reason());
        assertEquals("checking things failed: `sh -c echo nope >&2; exit 3` exited with code 3; last output:\n    nope",
                e.getMessage());
        assertEquals(3, e.result().exitCode());
    }

    @Test
    void aMissingProgramIsAStartFailure() {
        CommandException e = assertThrows(CommandException.class, () -> Command.of("/nonexistent/tool", "x").run());
        assertEquals(CommandException.Reason.START_FAILED, e.reason());
        assertTrue(e.getMessage().startsWith("cannot run `/nonexistent/tool x`"), e.getMessage());
    }

    @Test
    void aBackgroundChildHoldingThePipeDoesNotHoldTheCaller() throws Exception {
        long start = System.nanoTime();
        CommandResult r = Command.of("bash", "-c", "echo started; (sleep 60; echo late) & exit 0")
                .timeout(Duration.ofSeconds(30)).run();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, r.exitCode());
        assertEquals("started\n", r.stdout());
        assertTrue(tookMs < 15_000, "took " + tookMs + " ms");
    }

    @Test
    void environmentDirectoryAndInput(@TempDir Path dir) throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), "from-stdin\n");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        CommandResult r = Command.of("bash", "-c", "pwd; echo $GREETING; cat; echo ${PGPORT:-unset}")
                .directory(dir).env("GREETING", "hello").withoutEnv(n -> n.startsWith("PG"))
                .input(in).streamTo(log).runChecked("echoing");
        assertEquals(dir.toRealPath() + "\nhello\nfrom-stdin\nunset\n", r.stdout());
        assertEquals(r.stdout(), log.toString());
    }
}

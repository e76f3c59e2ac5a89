package org.fedorabuild.compat.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Python peers in {@code src/test/resources/python} with Debian's {@code /usr/bin/python3} (stdlib
 * {@code xmlrpc} only); tests using it are skipped where that interpreter is absent.
 */
public final class Python {
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    /** What a finished script left behind. */
    public record Result(int exitCode, String stdout, String stderr) {
        public String describe() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private Python() {
    }

    public static void assumeAvailable() {
        assumeTrue(Files.isExecutable(PYTHON), "Debian's /usr/bin/python3 is not installed: Python peer tests skipped");
    }

    public static Path script(String name) {
        try {
            return Path.of(Python.class.getResource("/python/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a script; {@code -B} keeps bytecode caches out of target/test-classes. */
    public static Process start(String script, String... args) {
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), "-B", script(script).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PYTHONIOENCODING", "utf-8");
        pb.environment().remove("PYTHONPATH");
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a script to completion (killing it after the timeout) and collects its output. */
    public static Result run(long timeoutSeconds, String script, String... args) throws Exception {
        Process p = start(script, args);
        p.getOutputStream().close();
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(script + " did not finish within " + timeoutSeconds + " s; stderr so far: "
                    + err.getNow("?"));
        }
        return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
    }

    public static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                in.transferTo(buf);
                return buf.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<unreadable: " + e + ">";
            }
        });
    }
}

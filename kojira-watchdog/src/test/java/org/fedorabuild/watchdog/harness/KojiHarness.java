package org.fedorabuild.watchdog.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real upstream Koji hub, CLI and fake kojid of {@code ../shared/koji-harness}, driven from a test. Needs
 * {@code KOJI_SRC} (a Koji source tree) and the harness directory ({@code KOJI_HARNESS}, default
 * {@code ../../shared/koji-harness} from the module).
 */
final class KojiHarness implements AutoCloseable {
    final Path harness;
    final int port;
    final Map<String, String> env = new HashMap<>();
    private final List<Process> builders = new ArrayList<>();

    private KojiHarness(Path harness, int port) {
        this.harness = harness;
        this.port = port;
    }

    static Path harnessDir() {
        String h = System.getenv("KOJI_HARNESS");
        return (h != null ? Path.of(h) : Path.of("..", "..", "shared", "koji-harness")).toAbsolutePath().normalize();
    }

    /** Starts a fresh hub (fresh database, bootstrapped hosts builder1..3) with extra hub.conf lines. */
    static KojiHarness up(int port, String hubConfExtra) throws IOException, InterruptedException {
        KojiHarness k = new KojiHarness(harnessDir(), port);
        k.env.put("KOJI_HUB_PORT", Integer.toString(port));
        k.env.put("KOJI_HUB_CONF_EXTRA", hubConfExtra);
        k.env.put("KOJI_HUB_LOGLEVEL", "WARNING");
        k.script("koji-hub-up");
        for (String line : Files.readAllLines(Path.of("/tmp/koji-harness-" + port, "env"))) {
            String kv = line.replaceFirst("^export ", "");
            int eq = kv.indexOf('=');
            if (eq > 0) {
                k.env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return k;
    }

    String get(String name) {
        return env.get(name);
    }

    String script(String name, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(harness.resolve(name).toString()));
        cmd.addAll(List.of(args));
        return run(cmd, 180);
    }

    /** The real koji CLI with the harness's client profiles. */
    String koji(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(harness.resolve("koji-cli").toString(), "-c", get("KOJI_HUB_CLIENT_CONF")));
        cmd.addAll(List.of(args));
        return run(cmd, 60);
    }

    /** A kojid stand-in (fake-builder.py) in the background, killed at close. */
    Process builder(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", harness.resolve("fake-builder.py").toString(),
                "--server", get("KOJI_HUB_URL")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(Path.of("/tmp/koji-harness-" + port, "builder-" + builders.size() + ".log").toFile());
        pb.environment().putAll(env);
        pb.environment().put("KOJI_SRC", System.getenv("KOJI_SRC"));
        Process p = pb.start();
        builders.add(p);
        return p;
    }

    private String run(List<String> cmd, int seconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish in " + seconds + " s: " + out);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        builders.forEach(Process::destroyForcibly);
        script("koji-hub-down");
    }
}

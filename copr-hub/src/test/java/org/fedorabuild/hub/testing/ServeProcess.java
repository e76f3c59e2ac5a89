package org.fedorabuild.hub.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.fedorabuild.pg.testing.PostgresExtension;

/**
 * A real {@code copr-hub serve} in its own JVM with a small heap, on a test database: for tests about what the
 * process itself prints, keeps on disk and survives (a heap limit cannot be tested inside the test's JVM).
 */
public final class ServeProcess implements AutoCloseable {
    public final Process process;
    public final int port;
    /** stdout and stderr of the hub. */
    public final Path log;

    private ServeProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts it with data in {@code dir/data} and waits (60 s at most) until it prints that it is ready. */
    public static ServeProcess start(PostgresExtension pg, Path dir, String heap) throws IOException, InterruptedException {
        Path conf = dir.resolve("copr-hub.conf");
        Files.writeString(conf, "[hub]\nDBUrl = " + pg.jdbcUrl() + "\nDBUser = " + pg.user() + "\nDBPass = " + pg.password()
                + "\nDBPoolSize = 4\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("serve.out");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap, "-cp",
                System.getProperty("java.class.path"), "org.fedorabuild.hub.cli.CoprHubMain", "serve", "--config", conf.toString(),
                "--data", dir.resolve("data").toString(), "--listen", "127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ServeProcess serve = new ServeProcess(p, port, log);
        long end = System.currentTimeMillis() + 60_000;
        while (!serve.output().contains("copr-hub ready") && p.isAlive() && System.currentTimeMillis() < end) {
            Thread.sleep(200);
        }
        return serve;
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}

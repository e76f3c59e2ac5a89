package org.fedorabuild.hub.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.fedorabuild.hub.builder.LocalTransport;
import org.fedorabuild.hub.sandbox.Sandbox;

/**
 * The builder set-up of this machine, done once per test JVM: loopback SSH builders and the local builder
 * are this machine, and an admin sets a builder up before the hub may build on it.
 */
public final class TestSandbox {
    private static boolean done;

    private TestSandbox() {
    }

    public static synchronized void setUp() {
        if (done) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("sandbox-setup");
            try (LocalTransport t = new LocalTransport(dir)) {
                Sandbox.install(t, 8, Duration.ofMinutes(2));
            } finally {
                Files.deleteIfExists(dir);
            }
            done = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

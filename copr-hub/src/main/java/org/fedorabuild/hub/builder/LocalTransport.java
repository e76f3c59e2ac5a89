package org.fedorabuild.hub.builder;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.fedorabuild.process.Command;
import org.fedorabuild.process.CommandException;

/**
 * The hub's own machine as a builder ({@code serve --local-builder N}): the same commands as over SSH, run
 * with {@code bash -c} in a local work root.
 */
public final class LocalTransport implements BuilderTransport {
    private final Path workRoot;

    public LocalTransport(Path workRoot) {
        this.workRoot = workRoot.toAbsolutePath().normalize();
    }

    @Override
    public String describe() {
        return "local " + workRoot;
    }

    private Path resolve(String path) {
        Path p = workRoot.resolve(path).normalize();
        if (!p.startsWith(workRoot)) {
            throw new IllegalArgumentException("path escapes the builder work root: " + path);
        }
        return p;
    }

    @Override
    public void put(Path local, String remotePath) throws IOException {
        Path dest = resolve(remotePath);
        Files.createDirectories(dest.getParent());
        Files.copy(local, dest, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void get(String remotePath, Path local) throws IOException {
        Files.copy(resolve(remotePath), local, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public List<String> list(String remoteDir) throws IOException {
        Path dir = resolve(remoteDir);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }

    @Override
    public int run(String command, OutputStream output, Duration timeout) throws IOException {
        Files.createDirectories(workRoot);
        try {
            // One pipe for both streams, as on SSH builders: two pipes merged here would interleave a build's
            // stdout and stderr mid-line in its log.
            return Command.of("bash", "-c", "{ " + command + "\n} </dev/null 2>&1").directory(workRoot).timeout(timeout)
                    .streamTo(output).outputLimit(64 * 1024).run().exitCode();
        } catch (CommandException e) {
            if (e.timedOut()) {
                throw new CommandTimeoutException("local command", timeout);
            }
            throw e;
        }
    }

    @Override
    public void close() {
    }
}

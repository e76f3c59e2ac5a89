package org.fedorabuild.hub.builder;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the hub reaches a builder machine: copy files there and back, run shell commands with their output
 * streamed while they run. The same dispatch code drives an SSH builder and the hub's own machine
 * ({@code --local-builder}); only the transport differs. Paths are relative to the transport's work root.
 */
public interface BuilderTransport extends AutoCloseable {
    /** For logs: {@code ssh builder@10.0.0.5:22} or {@code local /var/lib/copr-hub/builder}. */
    String describe();

    void put(Path local, String remotePath) throws IOException;

    void get(String remotePath, Path local) throws IOException;

    /** Plain file names in a directory; empty when it does not exist. */
    List<String> list(String remoteDir) throws IOException;

    /**
     * Runs {@code command} with {@code bash -c} in the work root, stdout and stderr merged into {@code output}
     * as they come.
     *
     * @return the exit status
     * @throws BuilderUnreachableException when the builder could not be reached or the connection dropped,
     *     so the outcome of the command is unknown
     * @throws CommandTimeoutException when it ran longer than {@code timeout} (it has been killed)
     */
    int run(String command, OutputStream output, Duration timeout) throws IOException;

    @Override
    void close();
}

package org.fedorabuild.hub.builder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One builder the hub drives (over SSH, or the hub's own machine): its transport, the build backend it
 * uses, and whether the last check-in reached it. Only reachable hosts get new tasks. A driver lives for
 * one tenure of the host's lease ({@code epoch}); its runs end under {@link #fence}, so a result of a
 * tenure another hub has ended is discarded.
 */
final class HostDriver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostDriver.class);

    final int id;
    final String name;
    final BuilderTransport transport;
    private final String configuredBackend; // auto, mock or rpmbuild
    volatile List<String> arches;
    volatile double capacity;
    volatile boolean enabled;
    volatile boolean reachable;
    volatile BuildBackend backend;
    volatile double load;
    /** The lease tenure this driver belongs to, and the check its runs' results must pass. */
    final long epoch;
    final org.fedorabuild.hub.build.BuildFlow.Fence fence;
    /** Set once the runs a previous tenure left on the host have been killed and re-queued. */
    volatile boolean recovered;

    HostDriver(int id, String name, BuilderTransport transport, String configuredBackend) {
        this(id, name, transport, configuredBackend, 0, null);
    }

    HostDriver(int id, String name, BuilderTransport transport, String configuredBackend, long epoch,
            org.fedorabuild.hub.build.BuildFlow.Fence fence) {
        this.epoch = epoch;
        this.fence = fence;
        this.id = id;
        this.name = name;
        this.transport = transport;
        this.configuredBackend = configuredBackend;
        if (!"auto".equals(configuredBackend)) {
            backend = BuildBackend.parse(configuredBackend);
        }
    }

    boolean builds(String arch) {
        return arch.equals("noarch") || arches.contains(arch);
    }

    /** The heartbeat: a trivial command over the transport, which also finds out whether mock is installed. */
    boolean check(Duration timeout) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            int rc = transport.run("command -v mock >/dev/null 2>&1 && echo mock || echo rpmbuild", out, timeout);
            if (rc != 0) {
                throw new IOException("check-in command exited " + rc + ": " + out.toString(StandardCharsets.UTF_8).strip());
            }
            if (backend == null) {
                backend = BuildBackend.parse(out.toString(StandardCharsets.UTF_8).strip());
                LOG.info("Host {} - builds with {} ({})", name, backend.name().toLowerCase(), transport.describe());
            }
            if (!reachable) {
                LOG.info("Host {} - reachable ({})", name, transport.describe());
            }
            reachable = true;
        } catch (IOException | RuntimeException e) {
            if (reachable) {
                LOG.warn("Host {} - unreachable: {}", name, e.getMessage());
            }
            reachable = false;
        }
        return reachable;
    }

    void lost(Exception e) {
        if (reachable) {
            LOG.warn("Host {} - connection lost: {}", name, e.getMessage());
        }
        reachable = false;
    }

    @Override
    public void close() {
        transport.close();
    }
}

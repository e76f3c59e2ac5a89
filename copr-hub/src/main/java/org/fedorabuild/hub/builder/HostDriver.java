package org.fedorabuild.hub.builder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.fedorabuild.hub.sandbox.Sandbox;
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
    /** Why the last check-in failed (logged once per distinct reason), or null. */
    private volatile String notReady;
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

    /**
     * The heartbeat: a trivial command over the transport, which also finds out whether mock is installed and
     * whether the builder's sandbox is set up exactly as this hub ships it. A builder without it never gets a
     * build; the hub's own machine is set up here when the hub runs as root.
     */
    boolean check(Duration timeout) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            int rc = transport.run("command -v mock >/dev/null 2>&1 && echo mock || echo rpmbuild; " + Sandbox.digestCommand(),
                    out, timeout);
            String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
            if (rc != 0) {
                throw new IOException("check-in command exited " + rc + ": " + out.toString(StandardCharsets.UTF_8).strip());
            }
            checkSandbox(lines.length > 1 ? lines[1].strip() : "", timeout);
            if (backend == null) {
                backend = BuildBackend.parse(lines[0].strip());
                LOG.info("Host {} - builds with {} ({})", name, backend.name().toLowerCase(), transport.describe());
            }
            if (!reachable) {
                LOG.info("Host {} - reachable ({})", name, transport.describe());
            }
            reachable = true;
            notReady = null;
        } catch (IOException | RuntimeException e) {
            if (reachable || !String.valueOf(e.getMessage()).equals(notReady)) {
                LOG.warn("Host {} - unreachable: {}", name, e.getMessage());
            }
            notReady = String.valueOf(e.getMessage());
            reachable = false;
        }
        return reachable;
    }

    private void checkSandbox(String installedDigest, Duration timeout) throws IOException {
        if (Sandbox.digest().equals(installedDigest)) {
            return;
        }
        String what = installedDigest.isEmpty() ? "not set up for sandboxed builds (no " + Sandbox.INSTALLED + ")"
                : installedDigest.equals(Sandbox.NO_SUDO) ? "its login is not root and may not run " + Sandbox.INSTALLED
                        + " with sudo -n"
                : "its " + Sandbox.INSTALLED + " is not this hub's version";
        if (transport instanceof LocalTransport && "root".equals(System.getProperty("user.name"))) {
            int slots = Math.max(4, (int) Math.ceil(capacity));
            LOG.info("Host {} - {}: setting up {} build slots: {}", name, what, slots,
                    Sandbox.install(transport, slots, timeout.plusMinutes(2)).replace('\n', ' '));
            return;
        }
        throw new IOException(what + "; builds go nowhere until an admin runs `copr-hub builder setup "
                + (transport instanceof LocalTransport ? "--local --login " + System.getProperty("user.name")
                        : "USER@HOST[:PORT]") + "` as root (see docs/build-isolation.md)");
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

package org.fedorabuild.hub.builder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.fedorabuild.hub.cluster.Leases;
import org.fedorabuild.hub.db.Db;

/**
 * Which builders this hub drives, decided with the other hubs of the database through {@code hub_leases}
 * only. Each round renews every lease this process holds; a host whose lease lapsed, is unheld, or is held
 * under this hub's own instance id (its previous process) is taken while this hub drives fewer than its
 * fair share (builders / live hubs, rounded up); above its share it hands one idle builder back per round,
 * so a hub that starts later gets builders without any build being interrupted. The local builder of
 * {@code serve --local-builder} is outside the share: its hub takes it whenever it is free.
 */
final class HostClaims {
    private final Db db;
    private final Leases leases;
    private final Integer localHostId;

    /** A builder row with the state of its lease. */
    record Candidate(Map<String, Object> host, boolean free) {
        int id() {
            return (Integer) host.get("id");
        }
    }

    /** The outcome of a round: leases still held (name -> epoch), and every candidate host. */
    record Round(Map<String, Long> held, List<Candidate> candidates, int share) {
    }

    HostClaims(Db db, Leases leases, Integer localHostId) {
        this.db = db;
        this.leases = leases;
        this.localHostId = localHostId;
    }

    static String lease(int hostId) {
        return "host:" + hostId;
    }

    /** @param driven the hosts this hub drives now, whose leases are renewed */
    Round renew(java.util.Collection<Integer> driven) {
        Map<String, Long> held = leases.renewAll(driven.stream().map(HostClaims::lease).toList());
        List<Candidate> candidates = new ArrayList<>();
        for (var h : db.query("SELECT h.id, h.name, h.driver, h.backend, h.arches, h.capacity, h.enabled, h.ssh_user, h.ssh_host,"
                + " h.ssh_port, h.ssh_host_key, (l.name IS NULL OR l.expires <= now() OR l.holder = ?) AS free FROM hosts h"
                + " LEFT JOIN hub_leases l ON l.name = 'host:' || h.id WHERE h.driver = 'ssh' OR h.id = ? ORDER BY h.id",
                leases.instanceId(), localHostId == null ? -1 : localHostId)) {
            candidates.add(new Candidate(h, (Boolean) h.get("free")));
        }
        long shared = candidates.stream().filter(c -> !isLocal(c.id())).count();
        int share = (int) Math.ceil(shared / (double) leases.liveHubs());
        return new Round(held, candidates, share);
    }

    boolean isLocal(int hostId) {
        return localHostId != null && localHostId == hostId;
    }

    /** Tries to take the host's lease; its epoch when taken. */
    OptionalLong take(int hostId) {
        return leases.hold(lease(hostId));
    }

    void release(int hostId) {
        leases.release(lease(hostId));
    }

    /** Inside the caller's transaction: the hosts (of {@code epochs}) still held under those epochs, share-locked. */
    Set<Integer> fenceAll(Map<Integer, Long> epochs) {
        Set<Integer> ok = new java.util.HashSet<>();
        epochs.forEach((id, epoch) -> {
            if (leases.fence(lease(id), epoch)) {
                ok.add(id);
            }
        });
        return ok;
    }

    BuildFlowFence fence(int hostId, long epoch) {
        return new BuildFlowFence(leases, lease(hostId), epoch);
    }

    /** The lease check a run's closing transaction makes. */
    record BuildFlowFence(Leases leases, String name, long epoch) implements org.fedorabuild.hub.build.BuildFlow.Fence {
        @Override
        public boolean holds() {
            return leases.fence(name, epoch);
        }
    }
}

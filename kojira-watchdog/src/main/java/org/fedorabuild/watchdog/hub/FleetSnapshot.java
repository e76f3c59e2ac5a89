package org.fedorabuild.watchdog.hub;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the hub said in one cycle, read completely and consistently (see {@link SnapshotReader}), and the
 * hub's clock at that moment. Rules judge only snapshots; a partial answer never becomes one.
 *
 * @param hubNow epoch seconds on the hub's clock (never the watchdog's)
 * @param requests HTTP requests the read took
 */
public record FleetSnapshot(double hubNow, String clockSource, List<Host> hosts, List<Task> tasks, int requests,
        double readSeconds) {

    public FleetSnapshot {
        hosts = List.copyOf(hosts);
        tasks = List.copyOf(tasks);
    }

    public Map<Long, Host> hostsById() {
        Map<Long, Host> m = new HashMap<>();
        hosts.forEach(h -> m.put(h.id(), h));
        return m;
    }

    /** OPEN and ASSIGNED tasks per host id. */
    public Map<Long, List<Task>> tasksByHost() {
        Map<Long, List<Task>> m = new HashMap<>();
        for (Task t : tasks) {
            if (t.hostId() != null) {
                m.computeIfAbsent(t.hostId(), k -> new ArrayList<>()).add(t);
            }
        }
        return m;
    }

    public List<Task> tasksOf(long hostId) {
        return tasksByHost().getOrDefault(hostId, Collections.emptyList());
    }

    public Host host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst().orElse(null);
    }
}

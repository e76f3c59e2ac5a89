package org.fedorabuild.watchdog.sim;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.client.ClientSettings;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.wire.KojiCall;

/**
 * A builder that talks to a hub as kojid does (koji-api.md §7.5): password login as its host user,
 * {@code exclusiveSession(force=True)}, {@code echo}, {@code host.getID}; each {@link #checkIn()} calls
 * {@code host.getHostTasks}, {@code host.getHost}, {@code host.updateHost(load, ready, data)} and, when it
 * has room, {@code host.getTasks} (which makes the hub's scheduler assign it work), then
 * {@code getTaskInfo(id, request=True)} and {@code host.openTask(id)} for what it was given. It "dies" by
 * simply no longer calling.
 */
public final class SimBuilder implements AutoCloseable {
    private final String name;
    private final KojiClient client;
    private final int maxJobs;
    private final List<Long> held = new ArrayList<>();
    private long hostId;

    public SimBuilder(URI hub, String name, int maxJobs) {
        this.name = name;
        this.maxJobs = maxJobs;
        this.client = new KojiClient(ClientSettings.defaults(hub).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
                .withRetries(0, Duration.ofMillis(100), false));
    }

    public SimBuilder login() {
        client.login(name, name);
        client.callKw("exclusiveSession", List.of(), Map.of("force", Boolean.TRUE));
        client.call("echo", "OK");
        hostId = ((Number) client.call("host.getID")).longValue();
        return this;
    }

    public long hostId() {
        return hostId;
    }

    public String name() {
        return name;
    }

    /** One kojid main-loop iteration; returns the ids of the tasks it opened in it. */
    public List<Long> checkIn() {
        List<Long> opened = new ArrayList<>();
        held.clear();
        for (Object o : (List<?>) client.call("host.getHostTasks")) {
            held.add(((Number) ((Map<?, ?>) o).get("id")).longValue());
        }
        client.call("host.getHost");
        boolean ready = held.size() < maxJobs;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("methods", List.of("sleep", "build", "buildArch"));
        data.put("maxjobs", (long) maxJobs);
        client.call(new KojiCall("host.updateHost", List.of((double) held.size(), ready), Map.of("data", data)));
        if (ready) {
            for (Object o : (List<?>) client.call("host.getTasks")) {
                long id = ((Number) ((Map<?, ?>) o).get("id")).longValue();
                if (held.size() >= maxJobs) {
                    break;
                }
                client.callKw("getTaskInfo", List.of(id), Map.of("request", Boolean.TRUE));
                Object t = client.call("host.openTask", id);
                if (t != null) {
                    held.add(id);
                    opened.add(id);
                }
            }
        }
        return opened;
    }

    public List<Long> held() {
        return List.copyOf(held);
    }

    public void closeTask(long id) {
        client.call("host.closeTask", id, "<?xml version='1.0'?><methodResponse><params><param><value><nil/></value></param></params></methodResponse>");
        held.remove(id);
    }

    public void failTask(long id) {
        client.call("host.failTask", id, "<?xml version='1.0'?><methodResponse><fault><value><struct></struct></value></fault></methodResponse>");
        held.remove(id);
    }

    /** kojid's clean shutdown: frees its tasks, reports not ready, logs out. */
    public void shutdown() {
        client.call("host.freeTasks", new ArrayList<Object>(held));
        client.call("host.updateHost", 0.0, false);
        client.logout();
    }

    @Override
    public void close() {
        // a crash: no logout, the session stays open as after a dead kojid
    }
}

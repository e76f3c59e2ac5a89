package org.fedorabuild.watchdog.hub;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedorabuild.compat.client.KojiConnectionException;
import org.fedorabuild.compat.client.MulticallResult;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.wire.KojiCall;
import org.fedorabuild.compat.wire.KojiTime;

/**
 * Reads a {@link FleetSnapshot} in a fixed, small number of requests whatever the fleet size:
 * <ol>
 *   <li>one {@code multiCall [listHosts(), listTasks({'state': [OPEN, ASSIGNED]}, {'order': 'id'})]}: on Koji a
 *       multicall runs in one database transaction, so hosts and tasks are mutually consistent;</li>
 *   <li>{@code multiCall [getLastHostUpdate(id, ts=True) …]}, one entry per host, batched by
 *       {@code multicall_batch} (10 000 hosts: 2 requests of about 2.2 MB each, under the 4 MiB Koji and copr-hub accept by default).</li>
 * </ol>
 * <b>The hub's clock</b>: "now" is the {@code Date} header of the last answer of the read (every hub's HTTP
 * server sends one: httpd, wsgiref, Jetty), raised to the newest host time the hub reported if that is later
 * (so no age is ever negative when the hub's database clock runs slightly ahead of its web server's). The
 * watchdog's own clock is never used to judge an age. Without a readable Date header the snapshot is
 * incomplete.
 * <p>Anything short of a full answer is a {@link HubReadException}: a fault in any entry, a wrong result
 * count, malformed structs, a task held by a host {@code listHosts} did not list, no hub clock.
 */
public final class SnapshotReader {
    /** Largest tolerated lead of a host timestamp over the Date header before the clocks are called inconsistent. */
    static final double MAX_CLOCK_LEAD_SECONDS = 300;

    private final HubSession hub;

    public SnapshotReader(HubSession hub) {
        this.hub = hub;
    }

    public FleetSnapshot read() {
        long t0 = System.nanoTime();
        int before = hub.requests();
        try {
            Map<String, Object> taskOpts = new LinkedHashMap<>();
            taskOpts.put("state", List.of((long) Task.OPEN, (long) Task.ASSIGNED));
            Map<String, Object> queryOpts = new LinkedHashMap<>();
            queryOpts.put("order", "id");
            List<MulticallResult> first = hub.multicall(List.of(KojiCall.of("listHosts"),
                    KojiCall.of("listTasks", taskOpts, queryOpts)), 10);
            List<Host> hosts = parseHosts(value(first.get(0), "listHosts"));
            List<Task> tasks = parseTasks(value(first.get(1), "listTasks"));
            Instant date = hub.hubDate().orElse(null);

            List<KojiCall> updates = new ArrayList<>(hosts.size());
            for (Host h : hosts) {
                updates.add(new KojiCall("getLastHostUpdate", List.of(h.id()), Map.of("ts", Boolean.TRUE)));
            }
            List<MulticallResult> answers = hub.multicall(updates);
            if (answers.size() != hosts.size()) {
                throw incomplete("getLastHostUpdate answered " + answers.size() + " of " + hosts.size() + " hosts");
            }
            List<Host> full = new ArrayList<>(hosts.size());
            for (int i = 0; i < hosts.size(); i++) {
                Host h = hosts.get(i);
                Object v = value(answers.get(i), "getLastHostUpdate(" + h.id() + ")");
                Double sessionTs = v == null ? null : timestamp(v, "getLastHostUpdate(" + h.id() + ")");
                full.add(new Host(h.id(), h.name(), h.enabled(), h.ready(), h.taskLoad(), h.capacity(), h.arches(),
                        h.comment(), h.updateTs(), sessionTs));
            }
            if (!hosts.isEmpty()) {
                date = hub.hubDate().orElse(date);
            }
            if (date == null) {
                throw incomplete("the hub's answers carry no Date header, so its clock is unknown");
            }
            checkConsistency(full, tasks);
            double now = KojiTime.epoch(date);
            double newest = full.stream().map(Host::lastSeen).filter(x -> x != null).mapToDouble(Double::doubleValue)
                    .max().orElse(now);
            if (newest - now > MAX_CLOCK_LEAD_SECONDS) {
                throw incomplete(String.format("a host time (%.0f) is %.0f s ahead of the hub's Date header (%.0f):"
                        + " the hub's database and web server clocks disagree", newest, newest - now, now));
            }
            String source = newest > now ? "max(Date header, newest host time)" : "Date header";
            return new FleetSnapshot(Math.max(now, newest), source, full, tasks, hub.requests() - before,
                    (System.nanoTime() - t0) / 1e9);
        } catch (KojiConnectionException e) {
            throw new HubReadException(HubReadException.Kind.UNREACHABLE, "hub unreachable: " + e.getMessage(), e);
        } catch (KojiFault e) {
            throw incomplete("hub answered a fault: " + e);
        } catch (ClassCastException | NullPointerException e) {
            throw incomplete("malformed answer: " + e.getMessage());
        }
    }

    /**
     * The newest output time of each task ({@code listTaskOutput(id, stat=True)}, max {@code st_mtime}) and
     * its total output size, in one batched multicall; missing tasks are a {@link HubReadException}.
     */
    public Map<Long, TaskOutput> taskOutputs(List<Long> taskIds) {
        Map<Long, TaskOutput> out = new HashMap<>();
        if (taskIds.isEmpty()) {
            return out;
        }
        List<KojiCall> calls = new ArrayList<>();
        for (long id : taskIds) {
            calls.add(new KojiCall("listTaskOutput", List.of(id), Map.of("stat", Boolean.TRUE)));
        }
        try {
            List<MulticallResult> answers = hub.multicall(calls);
            for (int i = 0; i < taskIds.size(); i++) {
                Object v = value(answers.get(i), "listTaskOutput(" + taskIds.get(i) + ")");
                Double newest = null;
                long bytes = 0;
                if (v instanceof Map<?, ?> files) {
                    for (Object stat : files.values()) {
                        if (stat instanceof Map<?, ?> st) {
                            Object mtime = st.get("st_mtime");
                            if (mtime instanceof Number n) {
                                newest = newest == null ? n.doubleValue() : Math.max(newest, n.doubleValue());
                            }
                            Object size = st.get("st_size");
                            if (size != null) {
                                bytes += Long.parseLong(String.valueOf(size));
                            }
                        }
                    }
                } else if (!(v instanceof List<?>)) {
                    throw incomplete("listTaskOutput(" + taskIds.get(i) + ") answered " + v);
                }
                out.put(taskIds.get(i), new TaskOutput(newest, bytes));
            }
            return out;
        } catch (KojiConnectionException e) {
            throw new HubReadException(HubReadException.Kind.UNREACHABLE, "hub unreachable: " + e.getMessage(), e);
        } catch (NumberFormatException e) {
            throw incomplete("malformed listTaskOutput st_size: " + e.getMessage());
        }
    }

    /** Newest output file time (hub filesystem clock; null when the task has no output yet) and total bytes. */
    public record TaskOutput(Double newestMtime, long bytes) {
    }

    private static void checkConsistency(List<Host> hosts, List<Task> tasks) {
        Set<Long> ids = new HashSet<>();
        for (Host h : hosts) {
            if (!ids.add(h.id())) {
                throw incomplete("listHosts listed host " + h.id() + " twice");
            }
        }
        for (Task t : tasks) {
            if (t.hostId() != null && !ids.contains(t.hostId())) {
                throw incomplete("task " + t.id() + " is held by host " + t.hostId() + ", which listHosts did not list");
            }
            if (t.state() != Task.OPEN && t.state() != Task.ASSIGNED) {
                throw incomplete("listTasks(state=[1,4]) answered task " + t.id() + " in state " + t.state());
            }
        }
    }

    private static Object value(MulticallResult r, String what) {
        if (!r.ok()) {
            throw incomplete(what + " failed: " + r.fault());
        }
        return r.value();
    }

    private static HubReadException incomplete(String message) {
        return new HubReadException(HubReadException.Kind.INCOMPLETE, message, null);
    }

    static List<Host> parseHosts(Object v) {
        List<Host> hosts = new ArrayList<>();
        for (Object o : list(v, "listHosts")) {
            Map<?, ?> m = (Map<?, ?>) o;
            hosts.add(new Host(num(m, "id").longValue(), (String) m.get("name"), bool(m.get("enabled")),
                    bool(m.get("ready")), optNum(m, "task_load", 0.0), optNum(m, "capacity", 2.0),
                    (String) m.get("arches"), (String) m.get("comment"), tsOrNull(m.get("update_ts")), null));
        }
        return hosts;
    }

    static List<Task> parseTasks(Object v) {
        List<Task> tasks = new ArrayList<>();
        for (Object o : list(v, "listTasks")) {
            Map<?, ?> m = (Map<?, ?>) o;
            Object host = m.get("host_id");
            Object channel = m.get("channel_id");
            Object parent = m.get("parent");
            tasks.add(new Task(num(m, "id").longValue(), num(m, "state").intValue(),
                    host == null ? null : ((Number) host).longValue(), (String) m.get("method"), (String) m.get("arch"),
                    channel == null ? null : ((Number) channel).longValue(), tsOrNull(m.get("create_ts")),
                    tsOrNull(m.get("start_ts")), bool(m.get("waiting")),
                    parent == null ? null : ((Number) parent).longValue()));
        }
        return tasks;
    }

    private static List<?> list(Object v, String what) {
        if (!(v instanceof List<?> l)) {
            throw incomplete(what + " answered " + (v == null ? "nil" : v.getClass().getSimpleName()) + ", not a list");
        }
        return l;
    }

    private static Number num(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) {
            throw incomplete("field " + key + " is " + v + ", not a number");
        }
        return n;
    }

    private static double optNum(Map<?, ?> m, String key, double def) {
        return m.get(key) instanceof Number n ? n.doubleValue() : def;
    }

    private static boolean bool(Object v) {
        return v instanceof Boolean b ? b : v instanceof Number n && n.longValue() != 0;
    }

    private static Double tsOrNull(Object v) {
        return v == null ? null : timestamp(v, "timestamp");
    }

    private static Double timestamp(Object v, String what) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            return KojiTime.epoch(KojiTime.parse(s)); // getLastHostUpdate without ts=True answers a string
        }
        throw incomplete(what + " answered " + v + ", not a time");
    }
}

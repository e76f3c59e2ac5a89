package org.fedorabuild.watchdog.sim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedorabuild.compat.server.KojiMethod;
import org.fedorabuild.compat.server.Param;
import org.fedorabuild.compat.server.VarArgs;
import org.fedorabuild.compat.wire.KojiTime;

/**
 * The read calls the watchdog and the koji CLI make, with kojihub's Python parameter names (the client
 * passes some by keyword): hosts, their last session activity, channels, tasks and task output. Filters
 * the watchdog relies on are honoured ({@code state}, {@code host_id}, {@code completeAfter}); the rest of
 * Koji's query options are accepted and ignored.
 */
final class ReadApi {
    private final SimState state;

    ReadApi(SimState state) {
        this.state = state;
    }

    @KojiMethod(value = "getKojiVersion", readOnly = true)
    public Object getKojiVersion() {
        return SimulatedKojiHub.VERSION;
    }

    @KojiMethod(value = "getAPIVersion", readOnly = true)
    public Object getAPIVersion() {
        return 1L;
    }

    @KojiMethod(value = "echo", readOnly = true)
    public Object echo(@VarArgs List<Object> args) {
        return args;
    }

    @KojiMethod(value = "listHosts", readOnly = true)
    public Object listHosts(@Param(value = "arches", optional = true) Object arches,
            @Param(value = "channelID", optional = true) Object channelID,
            @Param(value = "ready", optional = true) Boolean ready,
            @Param(value = "enabled", optional = true) Boolean enabled,
            @Param(value = "userID", optional = true) Object userID,
            @Param(value = "queryOpts", optional = true) Map<String, Object> queryOpts) {
        synchronized (state.lock) {
            List<Object> out = new ArrayList<>();
            for (SimHost h : state.hosts.values()) {
                if ((ready != null && h.ready != ready) || (enabled != null && h.enabled != enabled)
                        || (channelID instanceof Number c && !h.channelIds.contains(c.longValue()))) {
                    continue;
                }
                out.add(SimStructs.host(h));
            }
            return out;
        }
    }

    @KojiMethod(value = "getHost", readOnly = true)
    public Object getHost(@Param("hostInfo") Object hostInfo, @Param(value = "strict", optional = true) Boolean strict,
            @Param(value = "event", optional = true) Object event) {
        synchronized (state.lock) {
            SimHost h = state.lookupHost(hostInfo, Boolean.TRUE.equals(strict));
            return h == null ? null : SimStructs.host(h);
        }
    }

    @KojiMethod(value = "getLastHostUpdate", readOnly = true)
    public Object getLastHostUpdate(@Param("hostID") long hostID, @Param(value = "ts", optional = true) Boolean ts) {
        synchronized (state.lock) {
            SimHost h = state.hosts.get(hostID);
            if (h == null) {
                return null;
            }
            Double newest = state.lastSessionUpdate.get(h.user.id);
            if (newest == null) {
                return null;
            }
            return Boolean.TRUE.equals(ts) ? newest : KojiTime.format(KojiTime.fromEpoch(newest));
        }
    }

    @KojiMethod(value = "listChannels", readOnly = true)
    public Object listChannels(@Param(value = "hostID", optional = true) Object hostID,
            @Param(value = "event", optional = true) Object event,
            @Param(value = "enabled", optional = true) Boolean enabled) {
        synchronized (state.lock) {
            SimHost h = hostID == null ? null : state.lookupHost(hostID, true);
            List<Object> out = new ArrayList<>();
            state.channels.forEach((id, name) -> {
                if (h == null || h.channelIds.contains(id)) {
                    out.add(Map.of("id", id, "name", name, "enabled", true, "comment", "", "description", ""));
                }
            });
            return out;
        }
    }

    @KojiMethod(value = "listTasks", readOnly = true)
    public Object listTasks(@Param(value = "opts", optional = true) Map<String, Object> opts,
            @Param(value = "queryOpts", optional = true) Map<String, Object> queryOpts) {
        Map<String, Object> o = opts == null ? Map.of() : opts;
        Set<Long> states = longs(o.get("state"));
        Set<Long> hostIds = o.containsKey("host_id") ? longs(o.get("host_id")) : null;
        Object after = o.get("completeAfter");
        synchronized (state.lock) {
            List<Object> out = new ArrayList<>();
            for (SimTask t : state.tasks.values()) {
                if (states != null && !states.contains((long) t.state)) {
                    continue;
                }
                if (hostIds != null && (t.hostId == null || !hostIds.contains(t.hostId))) {
                    continue;
                }
                if (after instanceof Number n && (t.completionTs == null || t.completionTs <= n.doubleValue())) {
                    continue;
                }
                out.add(SimStructs.task(t, true));
            }
            return out;
        }
    }

    @KojiMethod(value = "getTaskInfo", readOnly = true)
    public Object getTaskInfo(@Param("task_id") long taskId, @Param(value = "request", optional = true) Boolean request,
            @Param(value = "strict", optional = true) Boolean strict) {
        synchronized (state.lock) {
            SimTask t = task(taskId, strict);
            if (t == null) {
                return null;
            }
            Map<String, Object> m = SimStructs.task(t, false);
            if (Boolean.TRUE.equals(request)) {
                m.put("request", List.of(600L));
            }
            return m;
        }
    }

    @KojiMethod(value = "listTaskOutput", readOnly = true)
    public Object listTaskOutput(@Param("taskID") long taskID, @Param(value = "stat", optional = true) Boolean stat,
            @Param(value = "all_volumes", optional = true) Boolean allVolumes,
            @Param(value = "strict", optional = true) Boolean strict) {
        synchronized (state.lock) {
            SimTask t = task(taskID, strict);
            if (t == null) {
                return Boolean.TRUE.equals(stat) ? Map.of() : List.of();
            }
            if (!Boolean.TRUE.equals(stat)) {
                return new ArrayList<>(t.outputs.keySet());
            }
            Map<String, Object> out = new LinkedHashMap<>();
            t.outputs.forEach((name, st) -> out.put(name, Map.of("st_size", String.valueOf((long) st[0]),
                    "st_atime", st[1], "st_mtime", st[1], "st_ctime", st[1])));
            return out;
        }
    }

    /** Koji's {@code strict}: a missing task is a fault ("No such task: N"), else null. */
    private SimTask task(long id, Boolean strict) {
        return Boolean.TRUE.equals(strict) ? state.lookupTask(id) : state.tasks.get(id);
    }

    /** A Koji filter value: one number or a list of them; null when absent. */
    private static Set<Long> longs(Object v) {
        if (v == null) {
            return null;
        }
        Set<Long> out = new HashSet<>();
        if (v instanceof Collection<?> c) {
            c.forEach(x -> out.add(((Number) x).longValue()));
        } else {
            out.add(((Number) v).longValue());
        }
        return out;
    }
}

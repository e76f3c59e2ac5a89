package org.fedorabuild.watchdog.sim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fedorabuild.compat.wire.KojiTime;

/**
 * The structs the simulated hub answers, with Koji's keys and value types (koji-api.md §3): what
 * {@code getHost}/{@code listHosts}, {@code getTaskInfo}/{@code listTasks} and the login calls return.
 * Clients decode these by key, so a missing or mistyped key here is a test that lies.
 */
final class SimStructs {
    private SimStructs() {
    }

    static Map<String, Object> host(SimHost h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("arches", h.arches);
        m.put("capacity", h.capacity);
        m.put("comment", h.comment);
        m.put("description", null);
        m.put("enabled", h.enabled);
        m.put("id", h.id);
        m.put("name", h.name);
        m.put("ready", h.ready);
        m.put("task_load", h.taskLoad);
        m.put("update_ts", h.updateTs);
        m.put("user_id", h.user.id);
        return m;
    }

    /** {@code listing}: as {@code listTasks} answers (with owner name, request and result). */
    static Map<String, Object> task(SimTask t, boolean listing) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("arch", t.arch);
        m.put("awaited", null);
        m.put("channel_id", t.channelId);
        m.put("completion_time", t.completionTs == null ? null : KojiTime.format(KojiTime.fromEpoch(t.completionTs)));
        m.put("completion_ts", t.completionTs);
        m.put("create_time", KojiTime.format(KojiTime.fromEpoch(t.createTs)));
        m.put("create_ts", t.createTs);
        m.put("host_id", t.hostId);
        m.put("id", t.id);
        m.put("label", null);
        m.put("method", t.method);
        m.put("owner", t.owner);
        if (listing) {
            m.put("owner_name", "kojiadmin");
            m.put("owner_type", 0L);
        }
        m.put("parent", t.parent);
        m.put("priority", 20L);
        if (listing) {
            m.put("request", "<?xml version='1.0'?>\n<methodCall>\n<methodName>" + t.method
                    + "</methodName>\n<params>\n<param>\n<value><int>600</int></value>\n</param>\n</params>\n</methodCall>\n");
            m.put("result", null);
        }
        m.put("start_time", t.startTs == null ? null : KojiTime.format(KojiTime.fromEpoch(t.startTs)));
        m.put("start_ts", t.startTs);
        m.put("state", (long) t.state);
        m.put("waiting", t.waiting);
        m.put("weight", 1.0);
        return m;
    }

    /** What {@code login} and {@code sslLogin} answer: the session the client sends back in headers. */
    static Map<String, Object> sessionInfo(SimState.Session s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session-id", s.id);
        m.put("session-key", s.key);
        m.put("header-auth", Boolean.TRUE);
        return m;
    }
}

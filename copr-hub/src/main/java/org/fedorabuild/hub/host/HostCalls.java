package org.fedorabuild.hub.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.fault.KojiFault.ActionNotAllowed;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.compat.server.KojiMethod;
import org.fedorabuild.compat.server.Param;
import org.fedorabuild.hub.auth.Caller;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.build.BuildFlow;
import org.fedorabuild.hub.build.BuildSubmission;
import org.fedorabuild.hub.builder.RpmHeaders;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.task.TaskOutputs;
import org.fedorabuild.hub.task.TaskPayloads;
import org.fedorabuild.hub.task.Tasks;

/**
 * Koji's {@code host.*} calls for builders that check in themselves (kojid-style; hosts added without
 * {@code --ssh}). Each needs an exclusive session of a HOST user and acts only on that host and its own
 * tasks. {@code host.getTasks} assigns FREE tasks the host fits when it has none ASSIGNED, as Koji's
 * scheduler does inside that call. Closing a task goes through the same {@link BuildFlow} as the hub's own
 * builders, reading the RPMs the builder uploaded into {@code tasks/<id%10000>/<id>/}.
 */
public final class HostCalls {
    private final Db db;
    private final Hosts hosts;
    private final BuildFlow flow;
    private final TaskOutputs outputs;

    public HostCalls(Db db, Hosts hosts, BuildFlow flow, BuildSubmission submission) {
        this.db = db;
        this.hosts = hosts;
        this.flow = flow;
        this.outputs = submission.outputs();
    }

    private int hostId(CallContext ctx) {
        Caller c = Caller.of(ctx);
        if (!c.loggedIn()) {
            throw new ActionNotAllowed("you must be logged in for this operation");
        }
        if (!c.exclusive()) {
            // NOTE: Koji's text; kojid checks for it.
            throw new GenericError("This method requires an exclusive session");
        }
        if (c.usertype() != Users.HOST) {
            throw new ActionNotAllowed("host calls are for builders (logged in as " + c.name() + ")");
        }
        return (Integer) db.scalar("SELECT id FROM hosts WHERE user_id = ?", c.userId())
                .orElseThrow(() -> new GenericError("No host for user " + c.name()));
    }

    @KojiMethod("host.getID")
    public int getID(CallContext ctx) {
        return hostId(ctx);
    }

    @KojiMethod("host.getHost")
    public Map<String, Object> getHost(CallContext ctx) {
        return hosts.find(hostId(ctx)).orElseThrow();
    }

    @KojiMethod("host.updateHost")
    public Object updateHost(CallContext ctx, @Param("task_load") double taskLoad, @Param("ready") boolean ready,
            @Param(value = "data", optional = true) Object data) {
        db.update("UPDATE hosts SET task_load = ?, ready = ?, update_time = now() WHERE id = ?", taskLoad, ready, hostId(ctx));
        return null;
    }

    @KojiMethod("host.getHostTasks")
    public List<Map<String, Object>> getHostTasks(CallContext ctx) {
        return db.query("SELECT id, waiting, weight FROM tasks WHERE host_id = ? AND state = 1 ORDER BY id", hostId(ctx));
    }

    @KojiMethod("host.getTasks")
    public List<Map<String, Object>> getTasks(CallContext ctx) {
        int host = hostId(ctx);
        String select = "SELECT id, state, channel_id, host_id, arch, method, priority,"
                + " extract(epoch FROM create_time)::float8 AS create_ts FROM tasks WHERE host_id = ? AND state = 4 ORDER BY priority, id";
        List<Map<String, Object>> assigned = db.query(select, host);
        if (!assigned.isEmpty()) {
            return assigned;
        }
        var h = db.queryOne("SELECT arches, capacity, enabled, ready, driver FROM hosts WHERE id = ?", host).orElseThrow();
        if (h.get("driver") != null || !(Boolean) h.get("enabled") || !(Boolean) h.get("ready")) {
            return assigned;
        }
        List<String> arches = List.of(((String) h.get("arches")).trim().split("\\s+"));
        double load = ((Number) db.scalar("SELECT COALESCE(sum(weight), 0) FROM tasks WHERE host_id = ? AND state IN (1, 4)", host)
                .orElse(0.0)).doubleValue();
        for (var t : db.query("SELECT id, arch, weight FROM tasks WHERE state = 0 AND method IN ('buildArch', 'buildSRPMFromSCM')"
                + " ORDER BY priority, id LIMIT 100 FOR UPDATE SKIP LOCKED")) {
            double w = (Double) t.get("weight");
            if ((t.get("arch").equals("noarch") || arches.contains(t.get("arch"))) && load + w <= (Double) h.get("capacity")) {
                db.update("UPDATE tasks SET state = 4, host_id = ? WHERE id = ?", host, t.get("id"));
                load += w;
            }
        }
        return db.query(select, host);
    }

    @KojiMethod("host.openTask")
    public Map<String, Object> openTask(CallContext ctx, @Param("task_id") int taskId) {
        int host = hostId(ctx);
        if (db.update("UPDATE tasks SET state = 1, host_id = ?, start_time = now() WHERE id = ? AND (state = 0"
                + " OR (state = 4 AND host_id = ?))", host, taskId, host) == 0) {
            return null;
        }
        Map<String, Object> t = new LinkedHashMap<>(db.queryOne("SELECT " + Tasks.COLUMNS + " FROM tasks t WHERE t.id = ?", taskId)
                .orElseThrow());
        t.put("request", db.scalar("SELECT request FROM tasks WHERE id = ?", taskId).orElseThrow());
        flow.refreshLoad(host);
        return t;
    }

    @KojiMethod("host.closeTask")
    public Object closeTask(CallContext ctx, @Param("task_id") int taskId, @Param("response") String response) throws IOException {
        int host = hostId(ctx);
        requireOwn(taskId, host);
        Object result = TaskPayloads.decodeResult(response);
        List<RpmHeaders> rpms = new ArrayList<>();
        String srpm = null;
        if (result instanceof Map<?, ?> m) {
            for (String key : List.of("rpms", "srpms")) {
                if (m.get(key) instanceof List<?> l) {
                    for (Object p : l) {
                        Path f = outputs.resolve(String.valueOf(p));
                        if (!Files.isRegularFile(f) || !f.startsWith(outputs.dir(taskId))) {
                            throw new GenericError("result names " + p + ", which task " + taskId + " did not upload");
                        }
                        rpms.add(RpmHeaders.read(f));
                    }
                }
            }
            if (m.get("srpm") instanceof String s) {
                srpm = s;
            }
        }
        if (!rpms.isEmpty()) {
            List<Object> req = org.fedorabuild.hub.task.TaskPayloads.decodeRequest(
                    (String) db.scalar("SELECT request FROM tasks WHERE id = ?", taskId).orElseThrow());
            try {
                RpmHeaders submitted = req.isEmpty() || !(req.get(0) instanceof String s) || !s.endsWith(".src.rpm") ? null
                        : RpmHeaders.read(outputs.resolve(s));
                org.fedorabuild.hub.builder.HeaderRules.checkBuild(rpms, submitted);
                Integer project = (Integer) db.scalar("SELECT project_id FROM tasks WHERE id = ?", taskId).orElse(null);
                String blocked = project == null || submitted == null ? null
                        : org.fedorabuild.hub.build.BuildPolicy.blocked(db, project, submitted.name());
                if (blocked != null) {
                    throw new IllegalArgumentException(blocked + ": the build is not published");
                }
            } catch (IllegalArgumentException e) {
                flow.fail(taskId, host, new KojiFault(1005, e.getMessage()));
                return null;
            }
        }
        flow.close(taskId, host, result, rpms, srpm);
        return null;
    }

    @KojiMethod("host.failTask")
    public Object failTask(CallContext ctx, @Param("task_id") int taskId, @Param("response") String response) {
        int host = hostId(ctx);
        requireOwn(taskId, host);
        KojiFault fault;
        try {
            TaskPayloads.decodeResult(response);
            fault = new GenericError("task failed without a fault");
        } catch (KojiFault f) {
            fault = f;
        }
        flow.fail(taskId, host, fault);
        return null;
    }

    @KojiMethod("host.freeTasks")
    public Object freeTasks(CallContext ctx, @Param("tasks") List<Object> taskIds) {
        int host = hostId(ctx);
        for (Object id : taskIds) {
            db.update("UPDATE tasks SET state = 0, host_id = NULL WHERE id = ? AND host_id = ? AND state IN (1, 4)",
                    ((Number) id).intValue(), host);
        }
        flow.refreshLoad(host);
        return null;
    }

    private void requireOwn(int taskId, int host) {
        if (db.queryOne("SELECT 1 FROM tasks WHERE id = ? AND host_id = ? AND state = 1", taskId, host).isEmpty()) {
            throw new ActionNotAllowed("task " + taskId + " is not open on this host");
        }
    }
}

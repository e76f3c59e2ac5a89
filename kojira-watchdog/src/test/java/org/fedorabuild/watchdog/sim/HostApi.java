package org.fedorabuild.watchdog.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.compat.server.KojiMethod;
import org.fedorabuild.compat.server.Param;

/**
 * The {@code host.*} calls kojid makes (koji-api.md §7.5), only from a host's user in its exclusive
 * session. {@code host.getTasks} is where Koji ≥ 1.34 schedules: FREE tasks of the host's channels are
 * ASSIGNED to the calling host while it is ready, enabled and under its capacity. Koji's own HostTimeout
 * freeing is not simulated: any freeing a test sees is the watchdog's.
 */
final class HostApi {
    private final SimState state;

    HostApi(SimState state) {
        this.state = state;
    }

    @KojiMethod("host.getID")
    public Object hostGetID(CallContext ctx) {
        synchronized (state.lock) {
            return state.callerHost(ctx).id;
        }
    }

    @KojiMethod("host.getHost")
    public Object hostGetHost(CallContext ctx) {
        synchronized (state.lock) {
            return SimStructs.host(state.callerHost(ctx));
        }
    }

    @KojiMethod("host.updateHost")
    public Object updateHost(CallContext ctx, @Param("task_load") double taskLoad, @Param("ready") boolean ready,
            @Param(value = "data", optional = true) Object data) {
        synchronized (state.lock) {
            SimHost h = state.callerHost(ctx);
            h.taskLoad = taskLoad;
            h.ready = ready;
            h.updateTs = state.clock.epoch();
            return null;
        }
    }

    @KojiMethod("host.getHostTasks")
    public Object getHostTasks(CallContext ctx) {
        synchronized (state.lock) {
            SimHost h = state.callerHost(ctx);
            List<Object> out = new ArrayList<>();
            for (SimTask t : state.tasks.values()) {
                if (t.state == 1 && t.hostId != null && t.hostId == h.id) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", t.id);
                    m.put("waiting", t.waiting);
                    m.put("weight", 1.0);
                    out.add(m);
                }
            }
            return out;
        }
    }

    @KojiMethod("host.getTasks")
    public Object getTasks(CallContext ctx) {
        synchronized (state.lock) {
            SimHost h = state.callerHost(ctx);
            List<Object> mine = assigned(h);
            if (mine.isEmpty() && h.ready && h.enabled) {
                long held = state.tasks.values().stream().filter(t -> t.hostId != null && t.hostId == h.id
                        && (t.state == 1 || t.state == 4)).count();
                for (SimTask t : state.tasks.values()) {
                    if (held >= h.capacity) {
                        break;
                    }
                    if (t.state == 0 && h.channelIds.contains(t.channelId)) {
                        t.state = 4;
                        t.hostId = h.id;
                        held++;
                    }
                }
                mine = assigned(h);
            }
            return mine;
        }
    }

    private List<Object> assigned(SimHost h) {
        List<Object> out = new ArrayList<>();
        for (SimTask t : state.tasks.values()) {
            if (t.state == 4 && t.hostId != null && t.hostId == h.id) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("arch", t.arch);
                m.put("channel_id", t.channelId);
                m.put("create_ts", t.createTs);
                m.put("host_id", t.hostId);
                m.put("id", t.id);
                m.put("method", t.method);
                m.put("priority", 20L);
                m.put("state", 4L);
                out.add(m);
            }
        }
        return out;
    }

    @KojiMethod("host.openTask")
    public Object openTask(CallContext ctx, @Param("task_id") long taskId) {
        synchronized (state.lock) {
            SimHost h = state.callerHost(ctx);
            SimTask t = state.lookupTask(taskId);
            boolean mine = t.state == 4 && t.hostId != null && t.hostId == h.id;
            if (!mine && t.state != 0) {
                return null;
            }
            t.state = 1;
            t.hostId = h.id;
            t.startTs = state.clock.epoch();
            state.recomputeLoad(h);
            Map<String, Object> m = SimStructs.task(t, false);
            m.put("request", "<?xml version='1.0'?>\n<methodCall>\n<methodName>" + t.method
                    + "</methodName>\n<params>\n</params>\n</methodCall>\n");
            return m;
        }
    }

    @KojiMethod("host.closeTask")
    public Object closeTask(CallContext ctx, @Param("task_id") long taskId, @Param("response") Object response) {
        return finish(ctx, taskId, 2);
    }

    @KojiMethod("host.failTask")
    public Object failTask(CallContext ctx, @Param("task_id") long taskId, @Param("response") Object response) {
        return finish(ctx, taskId, 5);
    }

    /** Closes (2) or fails (5) a task the calling host has OPEN. */
    private Object finish(CallContext ctx, long taskId, int finalState) {
        synchronized (state.lock) {
            SimHost h = state.callerHost(ctx);
            SimTask t = state.lookupTask(taskId);
            if (t.state != 1 || t.hostId == null || t.hostId != h.id) {
                throw new KojiFault.GenericError("task " + taskId + " is not open on host " + h.name);
            }
            t.state = finalState;
            t.completionTs = state.clock.epoch();
            state.recomputeLoad(h);
            return null;
        }
    }

    @KojiMethod("host.freeTasks")
    public Object freeTasks(CallContext ctx, @Param("tasks") List<Object> ids) {
        synchronized (state.lock) {
            SimHost h = state.callerHost(ctx);
            for (Object o : ids) {
                SimTask t = state.tasks.get(((Number) o).longValue());
                if (t != null && t.hostId != null && t.hostId == h.id && (t.state == 1 || t.state == 4)) {
                    t.state = 0;
                    t.hostId = null;
                }
            }
            state.recomputeLoad(h);
            return null;
        }
    }
}

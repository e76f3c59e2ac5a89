package org.fedorabuild.watchdog.sim;

import java.util.Map;
import java.util.Objects;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.compat.server.KojiMethod;
import org.fedorabuild.compat.server.KwArgs;
import org.fedorabuild.compat.server.Param;
import org.fedorabuild.watchdog.sim.SimState.Session;

/**
 * The write calls the watchdog makes, with Koji's permissions: {@code freeTask} needs {@code admin};
 * {@code cancelTask} the task's owner or {@code admin}; host edits {@code host} (or {@code admin}). A
 * refusal is Koji's ActionNotAllowed, so the watchdog's handling of a refused action is tested for real.
 */
final class AdminApi {
    private final SimState state;

    AdminApi(SimState state) {
        this.state = state;
    }

    @KojiMethod("freeTask")
    public Object freeTask(CallContext ctx, @Param("task_id") long taskId) {
        SimState.assertPerm(ctx, "admin");
        synchronized (state.lock) {
            SimTask t = state.lookupTask(taskId);
            if (t.finished()) {
                throw new KojiFault.GenericError("Cannot free task " + taskId + ", state is " + SimTask.STATES[t.state]);
            }
            Long old = t.hostId;
            t.state = 0;
            t.hostId = null;
            if (old != null) {
                state.recomputeLoad(state.hosts.get(old));
            }
            return null;
        }
    }

    @KojiMethod("cancelTask")
    public Object cancelTask(CallContext ctx, @Param("task_id") long taskId,
            @Param(value = "recurse", optional = true) Boolean recurse) {
        synchronized (state.lock) {
            SimTask t = state.lookupTask(taskId);
            Session s = SimState.requireLogin(ctx);
            if (t.owner != s.user.id) {
                SimState.assertPerm(ctx, "admin");
            }
            if (t.finished()) {
                return null;
            }
            t.state = 3;
            t.completionTs = state.clock.epoch();
            return null;
        }
    }

    @KojiMethod("disableHost")
    public Object disableHost(CallContext ctx, @Param("hostname") String hostname) {
        return setEnabled(ctx, hostname, false);
    }

    @KojiMethod("enableHost")
    public Object enableHost(CallContext ctx, @Param("hostname") String hostname) {
        return setEnabled(ctx, hostname, true);
    }

    private Object setEnabled(CallContext ctx, String hostname, boolean enabled) {
        SimState.assertPerm(ctx, "host");
        synchronized (state.lock) {
            state.lookupHost(hostname, true).enabled = enabled;
            return null;
        }
    }

    /** Only the keys the watchdog sends ({@code comment}, {@code capacity}); true when something changed. */
    @KojiMethod("editHost")
    public Object editHost(CallContext ctx, @Param("hostInfo") Object hostInfo, @KwArgs Map<String, Object> kw) {
        SimState.assertPerm(ctx, "host");
        synchronized (state.lock) {
            SimHost h = state.lookupHost(hostInfo, true);
            boolean changed = false;
            if (kw.containsKey("comment") && !Objects.equals(h.comment, kw.get("comment"))) {
                h.comment = (String) kw.get("comment");
                changed = true;
            }
            if (kw.get("capacity") instanceof Number c) {
                h.capacity = c.doubleValue();
                changed = true;
            }
            return changed;
        }
    }
}

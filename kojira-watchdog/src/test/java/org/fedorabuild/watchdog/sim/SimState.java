package org.fedorabuild.watchdog.sim;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.server.CallContext;

/**
 * The simulated hub's database: users, sessions, hosts, tasks, channels and the clock every timestamp comes
 * from. One lock guards all of it; each API call holds it for its whole body, as a Koji call is one
 * transaction, so a test never sees half of a call. Ids come from one sequence, in creation order, so a
 * test's ids are the same on every run.
 */
final class SimState {
    static final int AUTH_NORMAL = 0;
    static final int AUTH_SSL = 2;

    final SimClock clock = new SimClock(Instant.parse("2026-11-24T13:00:00Z"));
    final Object lock = new Object();
    final Map<String, SimUser> users = new HashMap<>();
    final Map<Long, Session> sessions = new HashMap<>();
    final Map<Long, SimHost> hosts = new TreeMap<>();
    final Map<Long, SimTask> tasks = new TreeMap<>();
    final Map<Long, String> channels = new TreeMap<>();
    /** user id → newest update time of any of its sessions (what getLastHostUpdate reports). */
    final Map<Long, Double> lastSessionUpdate = new HashMap<>();
    /** "METHOD USER" per successful login, oldest first: how tests see who logged in, and how. */
    final List<String> logins = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private long nextId = 1;

    /** A session row: its key, whether it is the user's exclusive one (kojid's), its last activity. */
    static final class Session {
        final long id;
        final String key;
        final SimUser user;
        final int authtype;
        boolean exclusive;
        double updateTs;
        boolean closed;

        Session(long id, String key, SimUser user, int authtype) {
            this.id = id;
            this.key = key;
            this.user = user;
            this.authtype = authtype;
        }
    }

    SimState() {
        channels.put(1L, "default");
        channels.put(2L, "createrepo");
        nextId = 3;
        addUser("kojiadmin", "kojiadmin", 0).perms.add("admin");
        addUser("kojiuser", "kojiuser", 0);
    }

    /** Callers hold {@link #lock}. */
    long nextId() {
        return nextId++;
    }

    SimUser addUser(String name, String password, int usertype) {
        SimUser u = new SimUser(nextId(), name, password, usertype);
        users.put(name, u);
        return u;
    }

    /** Opens a session for {@code u}, as {@code login} and {@code sslLogin} do; the caller holds the lock. */
    Session newSession(SimUser u, String method, int authtype) {
        StringBuilder key = new StringBuilder(u.id + "-");
        String abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < 19; i++) {
            key.append(abc.charAt(random.nextInt(abc.length())));
        }
        Session s = new Session(nextId(), key.toString(), u, authtype);
        s.updateTs = clock.epoch();
        sessions.put(s.id, s);
        lastSessionUpdate.merge(u.id, s.updateTs, Math::max);
        logins.add(method + " " + u.name);
        return s;
    }

    SimHost hostNamed(String name) {
        return hosts.values().stream().filter(h -> h.name.equals(name)).findFirst().orElse(null);
    }

    SimHost lookupHost(Object info, boolean strict) {
        SimHost h;
        if (info instanceof Number n) {
            h = hosts.get(n.longValue());
        } else if (info instanceof String name) {
            h = hostNamed(name);
        } else {
            throw new KojiFault.ParameterError("Invalid type for hostInfo: " + info);
        }
        if (h == null && strict) {
            throw new KojiFault.GenericError("Invalid hostInfo: " + info);
        }
        return h;
    }

    SimTask lookupTask(long id) {
        SimTask t = tasks.get(id);
        if (t == null) {
            throw new KojiFault.GenericError("No such task: " + id);
        }
        return t;
    }

    /** A host's load as Koji's scheduler counts it: its OPEN tasks. */
    void recomputeLoad(SimHost h) {
        h.taskLoad = tasks.values().stream().filter(t -> h.id == (t.hostId == null ? -1 : t.hostId) && t.state == 1).count();
    }

    // ---- the caller, as the session interceptor attached it ---------------------------------------------

    static Session session(CallContext ctx) {
        return ctx.attachment(Session.class).orElse(null);
    }

    static Session requireLogin(CallContext ctx) {
        Session s = session(ctx);
        if (s == null) {
            throw new KojiFault.ActionNotAllowed("you must be logged in for this operation");
        }
        return s;
    }

    /** Koji's {@code context.session.assertPerm}: admin implies every permission. */
    static void assertPerm(CallContext ctx, String perm) {
        Session s = session(ctx);
        if (s == null) {
            throw new KojiFault.ActionNotAllowed(perm + " permission required (user not logged in)");
        }
        if (!s.user.perms.contains(perm) && !s.user.perms.contains("admin")) {
            throw new KojiFault.ActionNotAllowed(perm + " permission required (logged in as " + s.user.name + ")");
        }
    }

    /** The host a {@code host.*} call comes from: only a host's user, in an exclusive session (kojid's). */
    SimHost callerHost(CallContext ctx) {
        Session s = requireLogin(ctx);
        if (!s.exclusive) {
            throw new KojiFault.AuthError("This method requires an exclusive session");
        }
        return hosts.values().stream().filter(h -> h.user == s.user).findFirst()
                .orElseThrow(() -> new KojiFault.AuthError("No host specified"));
    }
}

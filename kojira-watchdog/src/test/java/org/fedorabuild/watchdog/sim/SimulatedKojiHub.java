package org.fedorabuild.watchdog.sim;

import java.net.URI;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * A Koji hub the tests control, with Koji's semantics for the calls the watchdog and a kojid-like builder
 * make (koji-api.md §2, §3, §7): password and client-certificate login with header sessions, exclusive
 * sessions for {@code host.*}, {@code admin} for {@code freeTask}, {@code host} (or admin) for host edits,
 * multicall through compat's dispatcher. Every time it reports ({@code update_ts}, {@code getLastHostUpdate},
 * {@code start_ts}, the HTTP {@code Date} header) comes from its own {@link SimClock}, so "silent for 900 s"
 * is a clock advance, not a wait. It can be taken down (connection refused), made to hang, or made to fault
 * one method.
 * <p>This class is the tests' control panel: fleet set-up and direct edits of the hub's rows, which a test
 * makes as an operator or a database would, outside any call. The parts: {@link SimState} (the rows and the
 * clock), {@link SessionApi}, {@link ReadApi}, {@link AdminApi}, {@link HostApi} (the calls), and
 * {@link SimServer} (Jetty and the failures).
 */
public final class SimulatedKojiHub implements AutoCloseable {
    public static final String VERSION = "1.35.3";

    public final SimClock clock;
    private final SimState state = new SimState();
    private final SimServer server = new SimServer(state);

    public SimulatedKojiHub() {
        clock = state.clock;
    }

    // ---- set-up -----------------------------------------------------------------------------------------

    public SimUser addUser(String name, String password, int usertype) {
        synchronized (state.lock) {
            return state.addUser(name, password, usertype);
        }
    }

    public void grant(String user, String perm) {
        synchronized (state.lock) {
            state.users.get(user).perms.add(perm);
        }
    }

    /** A host and its HOST-type user (password = its name), in channel {@code default}. */
    public SimHost addHost(String name) {
        synchronized (state.lock) {
            SimUser u = state.addUser(name, name, 1);
            SimHost h = new SimHost(state.nextId(), name, u);
            h.channelIds.add(1L);
            state.hosts.put(h.id, h);
            return h;
        }
    }

    /** A FREE task in channel {@code default} owned by kojiadmin, created now. */
    public SimTask makeTask(String method) {
        synchronized (state.lock) {
            SimTask t = new SimTask(state.nextId(), method, clock.epoch(), state.users.get("kojiadmin").id);
            t.channelId = 1;
            state.tasks.put(t.id, t);
            return t;
        }
    }

    /** Puts a task directly OPEN on a host, as if its builder had opened it now (no session activity). */
    public void openOn(SimTask t, SimHost h) {
        synchronized (state.lock) {
            t.state = 1;
            t.hostId = h.id;
            t.startTs = clock.epoch();
        }
    }

    /** Makes a host look as if it checked in now (update_ts), without any session. */
    public void touch(SimHost h) {
        synchronized (state.lock) {
            h.updateTs = clock.epoch();
        }
    }

    /** Every host "checks in" now (update_ts), except those named. */
    public void touchAllExcept(Set<String> silent) {
        synchronized (state.lock) {
            double now = clock.epoch();
            for (SimHost h : state.hosts.values()) {
                if (!silent.contains(h.name)) {
                    h.updateTs = now;
                    h.ready = true;
                }
            }
        }
    }

    public SimTask task(long id) {
        synchronized (state.lock) {
            return state.tasks.get(id);
        }
    }

    public SimHost host(String name) {
        synchronized (state.lock) {
            SimHost h = state.hostNamed(name);
            if (h == null) {
                throw new NoSuchElementException("no host named " + name);
            }
            return h;
        }
    }

    public void addOutput(SimTask t, String file, long size) {
        synchronized (state.lock) {
            t.outputs.put(file, new double[] {size, clock.epoch()});
        }
    }

    /** "login NAME" or "sslLogin NAME" per successful login, oldest first. */
    public List<String> logins() {
        synchronized (state.lock) {
            return List.copyOf(state.logins);
        }
    }

    // ---- server and failures ----------------------------------------------------------------------------

    /** Serves plain HTTP on a loopback port. */
    public SimulatedKojiHub start() throws Exception {
        return start(null);
    }

    /**
     * Serves plain HTTP and, with {@code tls}, also HTTPS that wants a client certificate ({@link #tlsUri()}):
     * builders may keep the plain port while the watchdog logs in with its certificate.
     */
    public SimulatedKojiHub start(SSLContext tls) throws Exception {
        server.start(tls);
        return this;
    }

    public URI uri() {
        return server.uri();
    }

    public URI tlsUri() {
        return server.tlsUri();
    }

    /** HTTP requests answered (a multicall is one). */
    public int requests() {
        return server.requests();
    }

    /** How often {@code method} was called, inside multicalls too. */
    public int calls(String method) {
        return server.calls(method);
    }

    /** Makes every call of {@code method} (also inside multicalls) answer a GenericError; null clears it. */
    public void faultOn(String method) {
        server.faultOn(method);
    }

    /** Stops listening: clients get connection refused, as with a hub that is down. */
    public void goDown() throws Exception {
        server.goDown();
    }

    public void comeBack() throws Exception {
        server.comeBack();
    }

    /** Accepts requests but answers none until {@link #release()}. */
    public void hangRequests() {
        server.hangRequests();
    }

    public void release() {
        server.release();
    }

    /** How many requests have arrived while the hub was hanging. */
    public int hungRequests() {
        return server.hungRequests.get();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}

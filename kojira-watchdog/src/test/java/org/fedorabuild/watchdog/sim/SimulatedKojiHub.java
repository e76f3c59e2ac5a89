package org.fedorabuild.watchdog.sim;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.compat.server.CallInterceptor;
import org.fedorabuild.compat.server.KojiDispatcher;
import org.fedorabuild.compat.server.KojiHubHandler;
import org.fedorabuild.compat.server.KojiMethod;
import org.fedorabuild.compat.server.KwArgs;
import org.fedorabuild.compat.server.MethodRegistry;
import org.fedorabuild.compat.server.Param;
import org.fedorabuild.compat.server.VarArgs;
import org.fedorabuild.compat.session.SessionCredentials;
import org.fedorabuild.compat.wire.KojiCodec;
import org.fedorabuild.compat.wire.KojiTime;
import org.fedorabuild.compat.wire.WireLimits;

/**
 * A Koji hub the tests control, with Koji's semantics for the calls the watchdog and a kojid-like builder
 * make (koji-api.md §2, §3, §7): password login with header sessions, exclusive sessions for {@code host.*},
 * {@code admin} for {@code freeTask}, {@code host} (or admin) for host edits, multicall through compat's
 * dispatcher. Every time it reports ({@code update_ts}, {@code getLastHostUpdate}, {@code start_ts}, the HTTP
 * {@code Date} header) comes from its own {@link SimClock}, so "silent for 900 s" is a clock advance, not a
 * wait. It can be taken down (connection refused), made to hang, or made to fault one method.
 * <p>A simple scheduler runs inside {@code host.getTasks} as on Koji ≥ 1.34: FREE tasks are ASSIGNED to the
 * calling ready, enabled host within its capacity. Koji's own HostTimeout freeing is off unless asked for.
 */
public final class SimulatedKojiHub implements AutoCloseable {
    public static final String VERSION = "1.35.3";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    public final SimClock clock = new SimClock(Instant.parse("2026-11-24T13:00:00Z"));
    private final Object lock = new Object();
    private final Map<String, User> users = new HashMap<>();
    private final Map<Long, Session> sessions = new HashMap<>();
    private final Map<Long, SimHost> hosts = new TreeMap<>();
    private final Map<Long, SimTask> tasks = new TreeMap<>();
    private final Map<Long, String> channels = new TreeMap<>();
    /** user id → newest update time of any of its sessions (what getLastHostUpdate reports). */
    private final Map<Long, Double> lastSessionUpdate = new HashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private long nextId = 1;
    private volatile String faultMethod;
    private volatile CountDownLatch hang;

    private Server server;
    private ServerConnector connector;
    private int port;

    public static final class User {
        public final long id;
        public final String name;
        final String password;
        public final Set<String> perms = new HashSet<>();
        final int usertype;

        User(long id, String name, String password, int usertype) {
            this.id = id;
            this.name = name;
            this.password = password;
            this.usertype = usertype;
        }
    }

    static final class Session {
        final long id;
        final String key;
        final User user;
        boolean exclusive;
        double updateTs;
        boolean closed;

        Session(long id, String key, User user) {
            this.id = id;
            this.key = key;
            this.user = user;
        }
    }

    public static final class SimHost {
        public final long id;
        public final String name;
        final User user;
        public String arches = "x86_64";
        public double capacity = 2.0;
        public boolean enabled = true;
        public boolean ready;
        public double taskLoad;
        public Double updateTs;
        public String comment;
        public final Set<Long> channelIds = new HashSet<>();

        SimHost(long id, String name, User user) {
            this.id = id;
            this.name = name;
            this.user = user;
        }
    }

    public static final class SimTask {
        public final long id;
        public int state;
        public Long hostId;
        public final String method;
        public String arch = "noarch";
        public long channelId;
        public final double createTs;
        public Double startTs;
        public Double completionTs;
        public Boolean waiting;
        public Long parent;
        public final long owner;
        /** file name → {size, mtime} */
        public final Map<String, double[]> outputs = new LinkedHashMap<>();

        SimTask(long id, String method, double createTs, long owner) {
            this.id = id;
            this.method = method;
            this.createTs = createTs;
            this.owner = owner;
        }
    }

    // ---- set-up -----------------------------------------------------------------------------------------

    public SimulatedKojiHub() {
        synchronized (lock) {
            channels.put(1L, "default");
            channels.put(2L, "createrepo");
            nextId = 3;
            addUser("kojiadmin", "kojiadmin", 0).perms.add("admin");
            addUser("kojiuser", "kojiuser", 0);
        }
    }

    public User addUser(String name, String password, int usertype) {
        synchronized (lock) {
            User u = new User(nextId++, name, password, usertype);
            users.put(name, u);
            return u;
        }
    }

    public void grant(String user, String perm) {
        synchronized (lock) {
            users.get(user).perms.add(perm);
        }
    }

    /** A host and its HOST-type user (password = its name), in channel {@code default}. */
    public SimHost addHost(String name) {
        synchronized (lock) {
            User u = addUser(name, name, 1);
            SimHost h = new SimHost(nextId++, name, u);
            h.channelIds.add(1L);
            hosts.put(h.id, h);
            return h;
        }
    }

    /** A FREE task in channel {@code default} owned by kojiadmin, created now. */
    public SimTask makeTask(String method) {
        synchronized (lock) {
            SimTask t = new SimTask(nextId++, method, clock.epoch(), users.get("kojiadmin").id);
            t.channelId = 1;
            tasks.put(t.id, t);
            return t;
        }
    }

    /** Puts a task directly OPEN on a host, as if its builder had opened it now (no session activity). */
    public void openOn(SimTask t, SimHost h) {
        synchronized (lock) {
            t.state = 1;
            t.hostId = h.id;
            t.startTs = clock.epoch();
        }
    }

    /** Makes a host look as if it checked in now (update_ts), without any session. */
    public void touch(SimHost h) {
        synchronized (lock) {
            h.updateTs = clock.epoch();
        }
    }

    /** Every host "checks in" now (update_ts), except those named. */
    public void touchAllExcept(Set<String> silent) {
        synchronized (lock) {
            double now = clock.epoch();
            for (SimHost h : hosts.values()) {
                if (!silent.contains(h.name)) {
                    h.updateTs = now;
                    h.ready = true;
                }
            }
        }
    }

    public SimTask task(long id) {
        synchronized (lock) {
            return tasks.get(id);
        }
    }

    public SimHost host(String name) {
        synchronized (lock) {
            return hosts.values().stream().filter(h -> h.name.equals(name)).findFirst().orElseThrow();
        }
    }

    public void addOutput(SimTask t, String file, long size) {
        synchronized (lock) {
            t.outputs.put(file, new double[] {size, clock.epoch()});
        }
    }

    public int requests() {
        return requests.get();
    }

    /** Makes every call of {@code method} (also inside multicalls) answer a GenericError; null clears it. */
    public void faultOn(String method) {
        this.faultMethod = method;
    }

    // ---- server -----------------------------------------------------------------------------------------

    public SimulatedKojiHub start() throws Exception {
        MethodRegistry registry = new MethodRegistry().register(new Api());
        KojiDispatcher dispatcher = new KojiDispatcher(registry, this::intercept);
        KojiHubHandler kojiHandler = new KojiHubHandler("/kojihub", VERSION, new KojiCodec(WireLimits.REQUEST),
                dispatcher, null);
        Handler.Wrapper clocked = new Handler.Wrapper(kojiHandler) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                CountDownLatch h = hang;
                if (h != null) {
                    h.await();
                }
                // The hub's clock, as Koji's web server would state it.
                response.getHeaders().put("Date", HTTP_DATE.format(clock.now()));
                return super.handle(request, response, callback);
            }
        };
        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendDateHeader(false);
        http.setSendServerVersion(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(clocked);
        server.start();
        port = connector.getLocalPort();
        connector.setPort(port);
        return this;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/kojihub");
    }

    /** Stops listening: clients get connection refused, as with a hub that is down. */
    public void goDown() throws Exception {
        connector.stop();
    }

    public void comeBack() throws Exception {
        connector.start();
    }

    /** Accepts requests but answers none until {@link #release()}. */
    public void hangRequests() {
        hang = new CountDownLatch(1);
    }

    public void release() {
        CountDownLatch h = hang;
        hang = null;
        if (h != null) {
            h.countDown();
        }
    }

    @Override
    public void close() throws Exception {
        release();
        if (server != null) {
            server.stop();
        }
    }

    // ---- sessions ---------------------------------------------------------------------------------------

    private Object intercept(CallContext ctx, org.fedorabuild.compat.wire.KojiCall call, CallInterceptor.Stage stage,
            CallInterceptor.Invocation next) throws Exception {
        if (call.method().equals(faultMethod)) {
            throw new KojiFault.GenericError("simulated failure of " + call.method());
        }
        if (stage == CallInterceptor.Stage.REQUEST) {
            requests.incrementAndGet();
            SessionCredentials cred = ctx.credentials().orElse(null);
            if (cred != null) {
                synchronized (lock) {
                    Session s = sessions.get(cred.sessionId());
                    if (s == null || s.closed || !s.key.equals(cred.sessionKey())) {
                        throw new KojiFault.AuthError("Invalid session or bad credentials");
                    }
                    s.updateTs = clock.epoch(); // every authenticated request: what getLastHostUpdate reports
                    lastSessionUpdate.merge(s.user.id, s.updateTs, Math::max);
                    ctx.attach(Session.class, s);
                }
            }
        }
        return next.proceed();
    }

    private Session session(CallContext ctx) {
        return ctx.attachment(Session.class).orElse(null);
    }

    private Session requireLogin(CallContext ctx) {
        Session s = session(ctx);
        if (s == null) {
            throw new KojiFault.ActionNotAllowed("you must be logged in for this operation");
        }
        return s;
    }

    private void assertPerm(CallContext ctx, String perm) {
        Session s = session(ctx);
        if (s == null) {
            throw new KojiFault.ActionNotAllowed(perm + " permission required (user not logged in)");
        }
        if (!s.user.perms.contains(perm) && !s.user.perms.contains("admin")) {
            throw new KojiFault.ActionNotAllowed(perm + " permission required (logged in as " + s.user.name + ")");
        }
    }

    private SimHost callerHost(CallContext ctx) {
        Session s = requireLogin(ctx);
        if (!s.exclusive) {
            throw new KojiFault.AuthError("This method requires an exclusive session");
        }
        return hosts.values().stream().filter(h -> h.user == s.user).findFirst()
                .orElseThrow(() -> new KojiFault.AuthError("No host specified"));
    }

    private SimHost lookupHost(Object info, boolean strict) {
        SimHost h = null;
        if (info instanceof Number n) {
            h = hosts.get(n.longValue());
        } else if (info instanceof String name) {
            h = hosts.values().stream().filter(x -> x.name.equals(name)).findFirst().orElse(null);
        } else {
            throw new KojiFault.ParameterError("Invalid type for hostInfo: " + info);
        }
        if (h == null && strict) {
            throw new KojiFault.GenericError("Invalid hostInfo: " + info);
        }
        return h;
    }

    private SimTask lookupTask(long id) {
        SimTask t = tasks.get(id);
        if (t == null) {
            throw new KojiFault.GenericError("No such task: " + id);
        }
        return t;
    }

    private static final String[] STATES = {"FREE", "OPEN", "CLOSED", "CANCELED", "ASSIGNED", "FAILED"};

    private Map<String, Object> hostStruct(SimHost h) {
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

    private Map<String, Object> taskStruct(SimTask t, boolean listing) {
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

    private Map<String, Object> sinfo(Session s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session-id", s.id);
        m.put("session-key", s.key);
        m.put("header-auth", Boolean.TRUE);
        return m;
    }

    private void recomputeLoad(SimHost h) {
        h.taskLoad = tasks.values().stream().filter(t -> h.id == (t.hostId == null ? -1 : t.hostId) && t.state == 1).count();
    }

    /** The hub API: Python parameter names as in kojihub. */
    public final class Api {
        @KojiMethod("login")
        public Object login(CallContext ctx, @Param("user") String user, @Param("password") String password,
                @Param(value = "opts", optional = true) Object opts, @Param(value = "renew", optional = true) Boolean renew,
                @Param(value = "exclusive", optional = true) Boolean exclusive) {
            synchronized (lock) {
                User u = users.get(user);
                if (u == null || !u.password.equals(password)) {
                    throw new KojiFault.AuthError("invalid username or password");
                }
                StringBuilder key = new StringBuilder(u.id + "-");
                String abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
                for (int i = 0; i < 19; i++) {
                    key.append(abc.charAt(random.nextInt(abc.length())));
                }
                Session s = new Session(nextId++, key.toString(), u);
                s.updateTs = clock.epoch();
                sessions.put(s.id, s);
                lastSessionUpdate.merge(u.id, s.updateTs, Math::max);
                return sinfo(s);
            }
        }

        @KojiMethod("logout")
        public Object logout(CallContext ctx, @Param(value = "session_id", optional = true) Long sessionId) {
            synchronized (lock) {
                requireLogin(ctx).closed = true;
                return null;
            }
        }

        @KojiMethod("exclusiveSession")
        public Object exclusiveSession(CallContext ctx, @Param(value = "force", optional = true) Boolean force) {
            synchronized (lock) {
                Session s = requireLogin(ctx);
                for (Session other : sessions.values()) {
                    if (other != s && other.user == s.user && other.exclusive && !other.closed) {
                        if (!Boolean.TRUE.equals(force)) {
                            throw new KojiFault.AuthLockError("User already has an exclusive session");
                        }
                        other.closed = true;
                    }
                }
                s.exclusive = true;
                return null;
            }
        }

        @KojiMethod(value = "getLoggedInUser", readOnly = true)
        public Object getLoggedInUser(CallContext ctx) {
            Session s = session(ctx);
            if (s == null) {
                return null;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.user.id);
            m.put("name", s.user.name);
            m.put("status", 0L);
            m.put("usertype", (long) s.user.usertype);
            m.put("krb_principals", List.of());
            m.put("authtype", 0L);
            m.put("krb_principal", null);
            return m;
        }

        @KojiMethod(value = "getKojiVersion", readOnly = true)
        public Object getKojiVersion() {
            return VERSION;
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
            synchronized (lock) {
                List<Object> out = new ArrayList<>();
                for (SimHost h : hosts.values()) {
                    if ((ready != null && h.ready != ready) || (enabled != null && h.enabled != enabled)
                            || (channelID instanceof Number c && !h.channelIds.contains(c.longValue()))) {
                        continue;
                    }
                    out.add(hostStruct(h));
                }
                return out;
            }
        }

        @KojiMethod(value = "getHost", readOnly = true)
        public Object getHost(@Param("hostInfo") Object hostInfo, @Param(value = "strict", optional = true) Boolean strict,
                @Param(value = "event", optional = true) Object event) {
            synchronized (lock) {
                SimHost h = lookupHost(hostInfo, Boolean.TRUE.equals(strict));
                return h == null ? null : hostStruct(h);
            }
        }

        @KojiMethod(value = "getLastHostUpdate", readOnly = true)
        public Object getLastHostUpdate(@Param("hostID") long hostID, @Param(value = "ts", optional = true) Boolean ts) {
            synchronized (lock) {
                SimHost h = hosts.get(hostID);
                if (h == null) {
                    return null;
                }
                Double newest = lastSessionUpdate.get(h.user.id);
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
            synchronized (lock) {
                SimHost h = hostID == null ? null : lookupHost(hostID, true);
                List<Object> out = new ArrayList<>();
                channels.forEach((id, name) -> {
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
            synchronized (lock) {
                List<Object> out = new ArrayList<>();
                for (SimTask t : tasks.values()) {
                    if (states != null && !states.contains((long) t.state)) {
                        continue;
                    }
                    if (hostIds != null && (t.hostId == null || !hostIds.contains(t.hostId))) {
                        continue;
                    }
                    if (after instanceof Number n && (t.completionTs == null || t.completionTs <= n.doubleValue())) {
                        continue;
                    }
                    out.add(taskStruct(t, true));
                }
                return out;
            }
        }

        @KojiMethod(value = "getTaskInfo", readOnly = true)
        public Object getTaskInfo(@Param("task_id") long taskId, @Param(value = "request", optional = true) Boolean request,
                @Param(value = "strict", optional = true) Boolean strict) {
            synchronized (lock) {
                SimTask t = tasks.get(taskId);
                if (t == null) {
                    if (Boolean.TRUE.equals(strict)) {
                        throw new KojiFault.GenericError("No such task: " + taskId);
                    }
                    return null;
                }
                Map<String, Object> m = taskStruct(t, false);
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
            synchronized (lock) {
                SimTask t = tasks.get(taskID);
                if (t == null) {
                    if (Boolean.TRUE.equals(strict)) {
                        throw new KojiFault.GenericError("No such task: " + taskID);
                    }
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

        @KojiMethod("freeTask")
        public Object freeTask(CallContext ctx, @Param("task_id") long taskId) {
            assertPerm(ctx, "admin");
            synchronized (lock) {
                SimTask t = lookupTask(taskId);
                if (t.state == 2 || t.state == 3 || t.state == 5) {
                    throw new KojiFault.GenericError("Cannot free task " + taskId + ", state is " + STATES[t.state]);
                }
                Long old = t.hostId;
                t.state = 0;
                t.hostId = null;
                if (old != null) {
                    recomputeLoad(hosts.get(old));
                }
                return null;
            }
        }

        @KojiMethod("cancelTask")
        public Object cancelTask(CallContext ctx, @Param("task_id") long taskId,
                @Param(value = "recurse", optional = true) Boolean recurse) {
            synchronized (lock) {
                SimTask t = lookupTask(taskId);
                Session s = requireLogin(ctx);
                if (t.owner != s.user.id) {
                    assertPerm(ctx, "admin");
                }
                if (t.state == 2 || t.state == 3 || t.state == 5) {
                    return null;
                }
                t.state = 3;
                t.completionTs = clock.epoch();
                return null;
            }
        }

        @KojiMethod("disableHost")
        public Object disableHost(CallContext ctx, @Param("hostname") String hostname) {
            assertPerm(ctx, "host");
            synchronized (lock) {
                lookupHost(hostname, true).enabled = false;
                return null;
            }
        }

        @KojiMethod("enableHost")
        public Object enableHost(CallContext ctx, @Param("hostname") String hostname) {
            assertPerm(ctx, "host");
            synchronized (lock) {
                lookupHost(hostname, true).enabled = true;
                return null;
            }
        }

        @KojiMethod("editHost")
        public Object editHost(CallContext ctx, @Param("hostInfo") Object hostInfo, @KwArgs Map<String, Object> kw) {
            assertPerm(ctx, "host");
            synchronized (lock) {
                SimHost h = lookupHost(hostInfo, true);
                boolean changed = false;
                if (kw.containsKey("comment") && !java.util.Objects.equals(h.comment, kw.get("comment"))) {
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

        // ---- host.* (kojid) --------------------------------------------------------------------------------

        @KojiMethod("host.getID")
        public Object hostGetID(CallContext ctx) {
            synchronized (lock) {
                return callerHost(ctx).id;
            }
        }

        @KojiMethod("host.getHost")
        public Object hostGetHost(CallContext ctx) {
            synchronized (lock) {
                return hostStruct(callerHost(ctx));
            }
        }

        @KojiMethod("host.updateHost")
        public Object updateHost(CallContext ctx, @Param("task_load") double taskLoad, @Param("ready") boolean ready,
                @Param(value = "data", optional = true) Object data) {
            synchronized (lock) {
                SimHost h = callerHost(ctx);
                h.taskLoad = taskLoad;
                h.ready = ready;
                h.updateTs = clock.epoch();
                return null;
            }
        }

        @KojiMethod("host.getHostTasks")
        public Object getHostTasks(CallContext ctx) {
            synchronized (lock) {
                SimHost h = callerHost(ctx);
                List<Object> out = new ArrayList<>();
                for (SimTask t : tasks.values()) {
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
            synchronized (lock) {
                SimHost h = callerHost(ctx);
                List<Object> mine = assigned(h);
                if (mine.isEmpty() && h.ready && h.enabled) {
                    long held = tasks.values().stream().filter(t -> t.hostId != null && t.hostId == h.id
                            && (t.state == 1 || t.state == 4)).count();
                    for (SimTask t : tasks.values()) {
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
            for (SimTask t : tasks.values()) {
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
            synchronized (lock) {
                SimHost h = callerHost(ctx);
                SimTask t = lookupTask(taskId);
                boolean mine = t.state == 4 && t.hostId != null && t.hostId == h.id;
                if (!mine && t.state != 0) {
                    return null;
                }
                t.state = 1;
                t.hostId = h.id;
                t.startTs = clock.epoch();
                recomputeLoad(h);
                Map<String, Object> m = taskStruct(t, false);
                m.put("request", "<?xml version='1.0'?>\n<methodCall>\n<methodName>" + t.method
                        + "</methodName>\n<params>\n</params>\n</methodCall>\n");
                return m;
            }
        }

        @KojiMethod("host.closeTask")
        public Object closeTask(CallContext ctx, @Param("task_id") long taskId, @Param("response") Object response) {
            synchronized (lock) {
                SimHost h = callerHost(ctx);
                SimTask t = lookupTask(taskId);
                if (t.state != 1 || t.hostId == null || t.hostId != h.id) {
                    throw new KojiFault.GenericError("task " + taskId + " is not open on host " + h.name);
                }
                t.state = 2;
                t.completionTs = clock.epoch();
                recomputeLoad(h);
                return null;
            }
        }

        @KojiMethod("host.failTask")
        public Object failTask(CallContext ctx, @Param("task_id") long taskId, @Param("response") Object response) {
            synchronized (lock) {
                SimHost h = callerHost(ctx);
                SimTask t = lookupTask(taskId);
                if (t.state != 1 || t.hostId == null || t.hostId != h.id) {
                    throw new KojiFault.GenericError("task " + taskId + " is not open on host " + h.name);
                }
                t.state = 5;
                t.completionTs = clock.epoch();
                recomputeLoad(h);
                return null;
            }
        }

        @KojiMethod("host.freeTasks")
        public Object freeTasks(CallContext ctx, @Param("tasks") List<Object> ids) {
            synchronized (lock) {
                SimHost h = callerHost(ctx);
                for (Object o : ids) {
                    SimTask t = tasks.get(((Number) o).longValue());
                    if (t != null && t.hostId != null && t.hostId == h.id && (t.state == 1 || t.state == 4)) {
                        t.state = 0;
                        t.hostId = null;
                    }
                }
                recomputeLoad(h);
                return null;
            }
        }
    }

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

    public static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}

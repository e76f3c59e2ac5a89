package org.fedorabuild.hub.api;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault.AuthError;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.compat.server.KojiMethod;
import org.fedorabuild.compat.server.Param;
import org.fedorabuild.compat.server.VarArgs;
import org.fedorabuild.compat.session.CertNames;
import org.fedorabuild.hub.auth.Caller;
import org.fedorabuild.hub.auth.Sessions;
import org.fedorabuild.hub.auth.Tokens;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.config.HubConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Greetings, versions and Koji's session calls: login, sslLogin, logout, exclusive and sub-sessions. */
public final class SessionApi {
    private static final Logger LOG = LoggerFactory.getLogger(SessionApi.class);

    private final Users users;
    private final Tokens tokens;
    private final Sessions sessions;
    private final HubConfig config;

    public SessionApi(Users users, Tokens tokens, Sessions sessions, HubConfig config) {
        this.users = users;
        this.tokens = tokens;
        this.sessions = sessions;
        this.config = config;
    }

    @KojiMethod(value = "hello", readOnly = true)
    public String hello(@VarArgs List<Object> args) {
        return "Hello World";
    }

    @KojiMethod(value = "echo", readOnly = true)
    public List<Object> echo(@VarArgs List<Object> args) {
        return args;
    }

    /** Must be int 1: the CLI formats it with %d and warns on anything else. */
    @KojiMethod(value = "getAPIVersion", readOnly = true)
    public int getAPIVersion() {
        return 1;
    }

    @KojiMethod(value = "getKojiVersion", readOnly = true)
    public String getKojiVersion() {
        return HubConfig.KOJI_VERSION;
    }

    /** Password login; copr-hub's passwords are API tokens ({@code copr-hub token new USER}). */
    @KojiMethod("login")
    public Map<String, Object> login(CallContext ctx, @Param("user") String user, @Param("password") String password,
            @Param(value = "opts", optional = true) Object opts, @Param(value = "renew", optional = true) Boolean renew,
            @Param(value = "exclusive", optional = true) Boolean exclusive) {
        var row = user == null ? null : users.byName(user).orElse(null);
        if (row == null || (Integer) row.get("usertype") == Users.GROUP || !tokens.verify((Integer) row.get("id"), password)) {
            LOG.info("User {} - password login refused from {}", user, ctx.remoteAddress());
            // NOTE: the koji CLI and tests match this exact text (capture login-password-bad).
            throw new AuthError("invalid username or password");
        }
        return start(ctx, row, Sessions.AUTH_NORMAL, Boolean.TRUE.equals(renew), Boolean.TRUE.equals(exclusive));
    }

    /** Client-certificate login, POSTed to /kojihub/ssllogin; the certificate's CN (configurable) is the user. */
    @KojiMethod("sslLogin")
    public Map<String, Object> sslLogin(CallContext ctx, @Param(value = "proxyuser", optional = true) String proxyuser,
            @Param(value = "proxyauthtype", optional = true) Integer proxyauthtype,
            @Param(value = "renew", optional = true) Boolean renew,
            @Param(value = "exclusive", optional = true) Boolean exclusive) {
        if (!ctx.sslLoginPath()) {
            throw new AuthError("sslLogin must be sent to " + "<hub>/ssllogin");
        }
        X509Certificate cert = ctx.clientCertificate()
                .orElseThrow(() -> new AuthError("could not verify client: no client certificate"));
        String name = CertNames.component(cert, config.dnUsernameComponent());
        if (name == null) {
            throw new AuthError("unable to get user information (" + config.dnUsernameComponent()
                    + ") from client certificate");
        }
        if (proxyuser != null) {
            throw new AuthError(name + " is not authorized to login other users");
        }
        var row = users.byName(name).orElse(null);
        if (row == null && config.loginCreatesUser()) {
            users.create(name, Users.NORMAL);
            row = users.byName(name).orElseThrow();
            LOG.info("User {} - created at first certificate login (LoginCreatesUser)", name);
        }
        if (row == null || (Integer) row.get("usertype") == Users.GROUP) {
            throw new AuthError("Unknown user: " + name);
        }
        return start(ctx, row, Sessions.AUTH_SSL, Boolean.TRUE.equals(renew), Boolean.TRUE.equals(exclusive));
    }

    private Map<String, Object> start(CallContext ctx, Map<String, Object> user, int authtype, boolean renew,
            boolean exclusive) {
        if ((Integer) user.get("status") != 0) {
            throw new AuthError("logins by " + user.get("name") + " are not allowed");
        }
        int userId = (Integer) user.get("id");
        Caller caller = Caller.of(ctx);
        Map<String, Object> sinfo;
        if (caller.loggedIn() && renew && caller.userId() == userId) {
            sinfo = sessions.renew(caller.sessionId(), userId);
            LOG.info("User {} - session {} renewed", user.get("name"), caller.sessionId());
        } else if (caller.loggedIn() && !caller.expired()) {
            throw new AuthError("Already logged in");
        } else {
            sinfo = sessions.create(userId, authtype, ctx.remoteAddress(), null);
            LOG.info("User {} - logged in ({}), session {}", user.get("name"),
                    authtype == Sessions.AUTH_SSL ? "certificate" : "token", sinfo.get("session-id"));
        }
        if (exclusive) {
            sessions.makeExclusive((Integer) sinfo.get("session-id"), userId, false);
        }
        return sinfo;
    }

    @KojiMethod("logout")
    public Object logout(CallContext ctx, @Param(value = "session_id", optional = true) Integer sessionId) {
        Caller c = Caller.of(ctx);
        if (!c.loggedIn()) {
            throw new AuthError("Not logged in");
        }
        int target = sessionId == null ? c.sessionId() : sessionId;
        if (target != c.sessionId()) {
            var other = sessions.info(target).orElseThrow(() -> new GenericError("No such session: " + target));
            if (!other.get("user_id").equals(c.userId()) && !users.hasPerm(c.userId(), "admin")) {
                throw new org.fedorabuild.compat.fault.KojiFault.ActionNotAllowed("only admins can close other users' sessions");
            }
        }
        sessions.close(target);
        return null;
    }

    @KojiMethod("subsession")
    public Map<String, Object> subsession(CallContext ctx) {
        Caller c = Caller.of(ctx);
        if (!c.loggedIn()) {
            throw new AuthError("Not logged in");
        }
        int master = c.master() == null ? c.sessionId() : c.master();
        return sessions.create(c.userId(), c.authtype(), ctx.remoteAddress(), master);
    }

    @KojiMethod("logoutChild")
    public Object logoutChild(CallContext ctx, @Param("session_id") int sessionId) {
        Caller c = Caller.of(ctx);
        var child = c.loggedIn() ? sessions.info(sessionId).orElse(null) : null;
        if (child == null || !c.sessionId().equals(child.get("master"))) {
            throw new AuthError("Not a subsession of this session: " + sessionId);
        }
        sessions.close(sessionId);
        return null;
    }

    @KojiMethod("exclusiveSession")
    public Object exclusiveSession(CallContext ctx, @Param(value = "force", optional = true) Boolean force) {
        Caller c = Caller.of(ctx);
        if (!c.loggedIn()) {
            throw new AuthError("Not logged in");
        }
        if (c.master() != null) {
            throw new GenericError("subsessions cannot become exclusive");
        }
        if (!c.exclusive()) {
            sessions.makeExclusive(c.sessionId(), c.userId(), Boolean.TRUE.equals(force));
            LOG.info("User {} - session {} is now exclusive{}", c.name(), c.sessionId(),
                    Boolean.TRUE.equals(force) ? " (forced)" : "");
        }
        return null;
    }

    @KojiMethod("sharedSession")
    public Object sharedSession(CallContext ctx) {
        Caller c = Caller.of(ctx);
        if (!c.loggedIn()) {
            throw new AuthError("Not logged in");
        }
        sessions.makeShared(c.sessionId());
        return null;
    }

    @KojiMethod(value = "getLoggedInUser", readOnly = true)
    public Map<String, Object> getLoggedInUser(CallContext ctx) {
        Caller c = Caller.of(ctx);
        if (!c.loggedIn()) {
            return null;
        }
        Map<String, Object> u = Users.struct(users.byId(c.userId()).orElseThrow());
        u.put("authtype", c.authtype());
        u.put("krb_principal", null);
        return u;
    }

    @KojiMethod(value = "getSessionInfo", readOnly = true)
    public Map<String, Object> getSessionInfo(CallContext ctx, @Param(value = "details", optional = true) Boolean details,
            @Param(value = "user_id", optional = true) Integer userId) {
        Caller c = Caller.of(ctx);
        if (!c.loggedIn()) {
            return null;
        }
        Map<String, Object> info = new LinkedHashMap<>(sessions.info(c.sessionId()).orElseThrow());
        info.remove("closed");
        return info;
    }
}

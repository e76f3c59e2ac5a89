package org.fedorabuild.watchdog.sim;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.compat.server.KojiMethod;
import org.fedorabuild.compat.server.Param;
import org.fedorabuild.compat.session.CertNames;
import org.fedorabuild.compat.session.SessionCredentials;
import org.fedorabuild.watchdog.sim.SimState.Session;

/**
 * Koji's session calls ({@code kojihub/auth.py}): password {@code login}, client-certificate
 * {@code sslLogin} (the certificate's CN is the user, as with Koji's default {@code DNUsernameComponent}),
 * {@code logout}, {@code exclusiveSession} (kojid's lock; {@code force} takes it over), and the check of the
 * session headers every request carries.
 */
final class SessionApi {
    private final SimState state;

    SessionApi(SimState state) {
        this.state = state;
    }

    /**
     * Validates the request's session headers and attaches the session for the methods; every
     * authenticated request counts as activity, which is what {@code getLastHostUpdate} reports.
     */
    void authenticate(CallContext ctx) {
        SessionCredentials cred = ctx.credentials().orElse(null);
        if (cred == null) {
            return;
        }
        synchronized (state.lock) {
            Session s = state.sessions.get(cred.sessionId());
            if (s == null || s.closed || !s.key.equals(cred.sessionKey())) {
                throw new KojiFault.AuthError("Invalid session or bad credentials");
            }
            s.updateTs = state.clock.epoch();
            state.lastSessionUpdate.merge(s.user.id, s.updateTs, Math::max);
            ctx.attach(Session.class, s);
        }
    }

    @KojiMethod("login")
    public Object login(CallContext ctx, @Param("user") String user, @Param("password") String password,
            @Param(value = "opts", optional = true) Object opts, @Param(value = "renew", optional = true) Boolean renew,
            @Param(value = "exclusive", optional = true) Boolean exclusive) {
        synchronized (state.lock) {
            SimUser u = state.users.get(user);
            if (u == null || u.password == null || !u.password.equals(password)) { // null: certificate only
                throw new KojiFault.AuthError("invalid username or password");
            }
            return SimStructs.sessionInfo(state.newSession(u, "login", SimState.AUTH_NORMAL));
        }
    }

    /**
     * Only on {@code <hub>/ssllogin} and only with a client certificate the TLS connector verified (Koji:
     * {@code SSL_CLIENT_VERIFY == SUCCESS}); messages as Koji's.
     */
    @KojiMethod("sslLogin")
    public Object sslLogin(CallContext ctx, @Param(value = "proxyuser", optional = true) String proxyuser,
            @Param(value = "proxyauthtype", optional = true) Integer proxyauthtype,
            @Param(value = "renew", optional = true) Boolean renew,
            @Param(value = "exclusive", optional = true) Boolean exclusive) {
        if (!ctx.sslLoginPath()) {
            throw new KojiFault.AuthError("sslLogin must be sent to <hub>/ssllogin");
        }
        X509Certificate cert = ctx.clientCertificate()
                .orElseThrow(() -> new KojiFault.AuthError("could not verify client: NONE"));
        String name = CertNames.commonName(cert);
        if (name == null) {
            throw new KojiFault.AuthError("unable to get user information (CN) from client certificate");
        }
        if (proxyuser != null) {
            throw new KojiFault.AuthError(name + " is not authorized to login other users");
        }
        synchronized (state.lock) {
            SimUser u = state.users.get(name);
            if (u == null) {
                throw new KojiFault.AuthError("Unknown user: " + name);
            }
            return SimStructs.sessionInfo(state.newSession(u, "sslLogin", SimState.AUTH_SSL));
        }
    }

    @KojiMethod("logout")
    public Object logout(CallContext ctx, @Param(value = "session_id", optional = true) Long sessionId) {
        synchronized (state.lock) {
            SimState.requireLogin(ctx).closed = true;
            return null;
        }
    }

    @KojiMethod("exclusiveSession")
    public Object exclusiveSession(CallContext ctx, @Param(value = "force", optional = true) Boolean force) {
        synchronized (state.lock) {
            Session s = SimState.requireLogin(ctx);
            for (Session other : state.sessions.values()) {
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
        Session s = SimState.session(ctx);
        if (s == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.user.id);
        m.put("name", s.user.name);
        m.put("status", 0L);
        m.put("usertype", (long) s.user.usertype);
        m.put("krb_principals", List.of());
        m.put("authtype", (long) s.authtype);
        m.put("krb_principal", null);
        return m;
    }
}

package org.fedorabuild.hub.auth;

import java.util.Set;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.fault.KojiFault.AuthError;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.compat.server.CallInterceptor;
import org.fedorabuild.compat.session.CallnumPolicy;
import org.fedorabuild.compat.session.SessionCredentials;
import org.fedorabuild.compat.wire.KojiCall;
import org.fedorabuild.hub.db.Db;
import org.slf4j.MDC;

/**
 * Authenticates each HTTP request and runs it in one transaction, the way Koji's hub does:
 * the session is checked (key, expiry, call number, exclusivity; one query) and its {@code update_time}
 * committed first, on its own, so liveness is recorded even when the call fails (at most once per
 * {@link Sessions#TOUCH_EVERY}, so a burst of calls costs one round trip each); then the call runs
 * in a transaction of its own, and the new call number is stored with it only if the call wrote
 * something (a retried read is always answered). Each multicall entry gets a savepoint.
 */
public final class AuthInterceptor implements CallInterceptor {
    /** Calls a session may make while expired or locked out: they are how a client recovers. */
    private static final Set<String> LOGIN_CALLS = Set.of("login", "sslLogin");
    private static final Set<String> LOCK_EXEMPT = Set.of("login", "sslLogin", "logout", "exclusiveSession");

    private final Db db;
    private final Sessions sessions;
    private final boolean offline;
    private final String offlineMessage;

    public AuthInterceptor(Db db, Sessions sessions, boolean offline, String offlineMessage) {
        this.db = db;
        this.sessions = sessions;
        this.offline = offline;
        this.offlineMessage = offlineMessage;
    }

    @Override
    public Object intercept(CallContext ctx, KojiCall call, Stage stage, Invocation next) throws Exception {
        if (stage == Stage.ENTRY) {
            return db.savepoint(next::proceed);
        }
        if (offline && !LOCK_EXEMPT.contains(call.method())) {
            throw new KojiFault.ServerOffline(offlineMessage);
        }
        // Anonymous reads skip the session transaction: one pooled connection per request, not two.
        Caller caller = ctx.credentials().isEmpty() ? Caller.ANONYMOUS : db.inTransaction(() -> authenticate(ctx, call));
        ctx.attach(Caller.class, caller);
        if (caller.loggedIn()) {
            MDC.put("u", caller.name());
        }
        try {
            return db.inTransaction(() -> {
                Object result = next.proceed();
                Long callnum = ctx.credentials().map(SessionCredentials::callnum).orElse(null);
                if (caller.loggedIn() && callnum != null && db.wrote() && !LOGIN_CALLS.contains(call.method())) {
                    // (a renewal restarts the numbering: the client counts from 0 again)
                    sessions.setCallnum(caller.sessionId(), callnum);
                }
                return result;
            });
        } finally {
            MDC.remove("u");
        }
    }

    private Caller authenticate(CallContext ctx, KojiCall call) {
        SessionCredentials creds = ctx.credentials().orElse(null);
        if (creds == null) {
            return Caller.ANONYMOUS;
        }
        var row = sessions.load(creds.sessionId()).orElse(null);
        if (row == null || Boolean.TRUE.equals(row.get("closed")) || !Sessions.keyMatches(row, creds.sessionKey())) {
            throw new AuthError("Invalid session or bad credentials");
        }
        if (((Integer) row.get("status")) != 0) {
            throw new AuthError("logins by " + row.get("name") + " are not allowed");
        }
        int id = (Integer) row.get("id");
        int userId = (Integer) row.get("user_id");
        boolean expired = Boolean.TRUE.equals(row.get("expired"));
        boolean loginCall = LOGIN_CALLS.contains(call.method());
        if (expired && !loginCall && !"logout".equals(call.method())) {
            throw new KojiFault.AuthExpired("session \"" + id + "\" has expired");
        }
        if (!loginCall) {
            Long stored = row.get("callnum") == null ? null : ((Number) row.get("callnum")).longValue();
            CallnumPolicy.check(stored, creds.callnum(), call.method());
        }
        Integer master = (Integer) row.get("master");
        boolean exclusive = Boolean.TRUE.equals(row.get("exclusive"));
        if (!exclusive && !LOCK_EXEMPT.contains(call.method()) && Boolean.TRUE.equals(row.get("locked_by_other"))) {
            throw new KojiFault.AuthLockError("User locked by another session");
        }
        if (!Boolean.TRUE.equals(row.get("fresh"))) {
            sessions.touch(id);
        }
        return new Caller(id, userId, (String) row.get("name"), (Integer) row.get("usertype"),
                (Integer) row.get("authtype"), exclusive, master, expired);
    }
}

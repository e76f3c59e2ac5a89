package org.fedorabuild.hub.auth;

import org.fedorabuild.compat.server.CallContext;

/**
 * Who is asking: the verified session of the request, attached to its {@link CallContext} by
 * {@link AuthInterceptor}, or {@link #ANONYMOUS}.
 *
 * @param expired the session is past SessionRenewalTimeout (only login calls get this far with it)
 */
public record Caller(Integer sessionId, Integer userId, String name, int usertype, int authtype,
        boolean exclusive, Integer master, boolean expired) {
    public static final Caller ANONYMOUS = new Caller(null, null, null, 0, 0, false, null, false);

    public boolean loggedIn() {
        return sessionId != null;
    }

    public static Caller of(CallContext context) {
        return context.attachment(Caller.class).orElse(ANONYMOUS);
    }
}

package org.fedorabuild.compat.client;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.compat.server.KojiMethod;
import org.fedorabuild.compat.server.Param;
import org.fedorabuild.compat.server.VarArgs;

/** A hub with session calls and a few misbehaving ones. */
public class SessionHub {
    final AtomicInteger expireNext = new AtomicInteger();
    final AtomicInteger offlineNext = new AtomicInteger();

    @KojiMethod
    public Object login(@Param("user") String user, @Param("password") String password,
            @Param(value = "opts", optional = true) Map<String, Object> opts,
            @Param(value = "renew", optional = true) Boolean renew,
            @Param(value = "exclusive", optional = true) Boolean exclusive) {
        if (!"secret".equals(password)) {
            throw new KojiFault.AuthError("invalid username or password");
        }
        return sinfo(Boolean.TRUE.equals(renew) ? "1-renewedKey" : "1-firstKey");
    }

    @KojiMethod
    public Object sslLogin(@Param(value = "proxyuser", optional = true) String proxyuser,
            @Param(value = "proxyauthtype", optional = true) Long proxyauthtype,
            @Param(value = "renew", optional = true) Boolean renew,
            @Param(value = "exclusive", optional = true) Boolean exclusive, CallContext context) {
        if (!context.sslLoginPath()) {
            throw new KojiFault.AuthError("sslLogin must be POSTed to /ssllogin");
        }
        return sinfo("1-sslKey");
    }

    private static Map<String, Object> sinfo(String key) {
        return Map.of("session-id", 42L, "session-key", key, "header-auth", true);
    }

    @KojiMethod
    public Object logout(@Param(value = "session_id", optional = true) Long sessionId) {
        return null;
    }

    @KojiMethod
    public Object getAPIVersion() {
        return 1;
    }

    @KojiMethod
    public Object echo(@VarArgs List<Object> args) {
        return args;
    }

    @KojiMethod
    public Object fail(@Param("message") String message) {
        throw new KojiFault.GenericError(message);
    }

    @KojiMethod
    public Object expiring() {
        if (expireNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new KojiFault.AuthExpired("session \"42\" has expired");
        }
        return "fresh";
    }

    @KojiMethod
    public Object slow(@Param("millis") long millis) throws InterruptedException {
        Thread.sleep(millis);
        return millis;
    }

    @KojiMethod
    public Object offline() {
        if (offlineNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new KojiFault.ServerOffline("server is offline");
        }
        return "online";
    }
}

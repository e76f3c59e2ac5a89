package org.fedorabuild.hub.auth;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.fedorabuild.compat.fault.KojiFault.AuthLockError;
import org.fedorabuild.hub.db.Db;

/**
 * Koji sessions: id, key {@code <user_id>-<19 alphanumerics>} (only its SHA-256 is stored), call
 * number, exclusivity and expiry after SessionRenewalTimeout. Subsessions ({@code master} set) share
 * their master's user and die with it.
 */
public final class Sessions {
    public static final int AUTH_NORMAL = 0;
    public static final int AUTH_SSL = 2;

    private final Db db;
    private final Duration renewal;

    private int maxPerUser = Integer.MAX_VALUE;

    public Sessions(Db db, Duration renewal) {
        this.db = db;
        this.renewal = renewal;
    }

    /** UserMaxSessions: a login past it ends the user's oldest open sessions (logins never fail for it). */
    public Sessions maxPerUser(int max) {
        this.maxPerUser = max;
        return this;
    }

    /** What login answers; {@code header-auth} tells ≥1.31 clients to send the Koji-Session-* headers. */
    public static Map<String, Object> sinfo(int id, String key) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session-id", id);
        m.put("session-key", key);
        m.put("header-auth", true);
        return m;
    }

    public Map<String, Object> create(int userId, int authtype, String hostip, Integer master) {
        String key = userId + "-" + Tokens.random(19);
        int id = db.insert("INSERT INTO sessions (user_id, key_hash, authtype, hostip, master) VALUES (?, ?, ?, ?, ?)"
                + " RETURNING id", userId, hash(key), authtype, hostip, master);
        if (maxPerUser != Integer.MAX_VALUE) {
            db.update("UPDATE sessions SET closed = true, expired = true, exclusive = false WHERE user_id = ? AND NOT closed"
                    + " AND id NOT IN (SELECT id FROM sessions WHERE user_id = ? AND NOT closed ORDER BY id DESC LIMIT ?)",
                    userId, userId, maxPerUser);
        }
        return sinfo(id, key);
    }

    /**
     * The session row, {@code expired} also true when past the renewal timeout, with the rest of what every
     * request checks, in one round trip: {@code locked_by_other} says another open exclusive session of the same
     * user (neither this one nor its master) locks it out, {@code fresh} that {@link #touch} ran less than
     * {@link #TOUCH_EVERY} ago.
     */
    public Optional<Map<String, Object>> load(long id) {
        return db.queryOne("SELECT s.id, s.user_id, s.key_hash, s.master, s.authtype, s.callnum, s.exclusive, s.closed,"
                + " s.expired OR (? > 0 AND COALESCE(s.renew_time, s.start_time) < now() - make_interval(mins => ?))"
                + " OR COALESCE(m.closed, false) AS expired, u.name, u.usertype, u.status,"
                + " EXISTS (SELECT 1 FROM sessions x WHERE x.user_id = s.user_id AND x.exclusive AND NOT x.closed"
                + " AND x.id <> s.id AND x.id <> COALESCE(s.master, -1)) AS locked_by_other,"
                + " COALESCE(s.update_time > now() - make_interval(secs => ?), false) AS fresh"
                + " FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN sessions m ON m.id = s.master"
                + " WHERE s.id = ?", renewal.toMinutes(), (int) renewal.toMinutes(), TOUCH_EVERY.toMillis() / 1000.0, (int) id);
    }

    /**
     * How stale a session's {@code update_time} may get while it is in use: a burst of calls (the chunks of an
     * upload, a builder's polling) records its activity once a second rather than with an UPDATE and COMMIT
     * per call. Those who read the time (getLastHostUpdate, a watchdog's grace of minutes) cannot tell.
     */
    public static final java.time.Duration TOUCH_EVERY = java.time.Duration.ofSeconds(1);

    public static boolean keyMatches(Map<String, Object> row, String key) {
        return MessageDigest.isEqual(((String) row.get("key_hash")).getBytes(), hash(key).getBytes());
    }

    /** Authenticated requests mark their session alive (at most once per TOUCH_EVERY); getLastHostUpdate reports this time. */
    public void touch(int id) {
        db.update("UPDATE sessions SET update_time = now() WHERE id = ?", id);
    }

    public void setCallnum(int id, long callnum) {
        db.update("UPDATE sessions SET callnum = ? WHERE id = ?", callnum, id);
    }

    /** Renewal keeps the id, issues a new key and restarts the call numbers, as the client does. */
    public Map<String, Object> renew(int id, int userId) {
        String key = userId + "-" + Tokens.random(19);
        db.update("UPDATE sessions SET key_hash = ?, renew_time = now(), expired = false, callnum = NULL WHERE id = ?",
                hash(key), id);
        return sinfo(id, key);
    }

    /** Closes a session and its subsessions. */
    public void close(int id) {
        db.update("UPDATE sessions SET closed = true, expired = true, exclusive = false WHERE id = ? OR master = ?", id, id);
    }

    /**
     * Makes the session the user's exclusive one; another open exclusive session is an AuthLockError
     * unless {@code force}, which closes it (a restarted builder replacing its dead predecessor).
     */
    public void makeExclusive(int id, int userId, boolean force) {
        var others = db.query("SELECT id FROM sessions WHERE user_id = ? AND exclusive AND NOT closed AND id <> ?"
                + " FOR UPDATE", userId, id);
        if (!others.isEmpty()) {
            if (!force) {
                throw new AuthLockError("Cannot get exclusive session");
            }
            for (var o : others) {
                close((Integer) o.get("id"));
            }
        }
        db.update("UPDATE sessions SET exclusive = true WHERE id = ?", id);
    }

    public void makeShared(int id) {
        db.update("UPDATE sessions SET exclusive = false WHERE id = ?", id);
    }

    public Optional<Map<String, Object>> info(int id) {
        return db.queryOne("SELECT id, user_id, expired, master, authtype, hostip, callnum, exclusive, closed,"
                + " start_time, extract(epoch FROM start_time)::float8 AS start_ts,"
                + " update_time, extract(epoch FROM update_time)::float8 AS update_ts,"
                + " renew_time, extract(epoch FROM renew_time)::float8 AS renew_ts FROM sessions WHERE id = ?", id);
    }

    static String hash(String key) {
        return HexFormat.of().formatHex(Tokens.sha256(key));
    }
}

package org.fedorabuild.hub.account;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.fedorabuild.hub.db.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows password guessing down, per account and per client address. A key ({@code user:NAME},
 * {@code addr:IP}) gets a few free failures within an hour; each failure past them locks the key for
 * twice as long as the previous one (2 s, 4 s, 8 s ... capped at 15 minutes). While a key is locked,
 * sign-ins are refused without looking at the password. A success clears the account's key; the address
 * keeps its count (one address guessing many accounts stays slowed). An address gets more free failures
 * than an account, as many people may share one address.
 */
public final class LoginThrottle {
    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);
    static final int FREE_PER_USER = 5;
    static final int FREE_PER_ADDRESS = 20;
    static final Duration WINDOW = Duration.ofHours(1);
    static final Duration MAX_LOCK = Duration.ofMinutes(15);

    private final Db db;

    public LoginThrottle(Db db) {
        this.db = db;
    }

    /** How long sign-ins for this user or from this address must still wait, if at all. */
    public Optional<Duration> locked(String user, String address) {
        Duration wait = Duration.ZERO;
        for (String key : new String[] {"user:" + user, "addr:" + address}) {
            var until = db.scalar("SELECT locked_until FROM login_failures WHERE key = ? AND locked_until > now()", key);
            if (until.isPresent()) {
                Duration d = Duration.between(Instant.now(), (Instant) until.get());
                wait = d.compareTo(wait) > 0 ? d : wait;
            }
        }
        return wait.isZero() || wait.isNegative() ? Optional.empty() : Optional.of(wait);
    }

    public void failed(String user, String address) {
        record(key("user:", user), FREE_PER_USER);
        record(key("addr:", address), FREE_PER_ADDRESS);
        LOG.info("Web sign-in - failed for user {} from {}", user, address);
    }

    public void succeeded(String user) {
        db.update("DELETE FROM login_failures WHERE key = ?", key("user:", user));
    }

    private static String key(String prefix, String value) {
        String v = value == null ? "" : value;
        return prefix + (v.length() > 200 ? v.substring(0, 200) : v);
    }

    private void record(String key, int free) {
        // A counter older than the window starts over; then one more failure, and a lock past the free ones.
        db.update("INSERT INTO login_failures (key, failures) VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET"
                + " failures = CASE WHEN login_failures.first_time < now() - ? * interval '1 second' THEN 1"
                + "   ELSE login_failures.failures + 1 END,"
                + " first_time = CASE WHEN login_failures.first_time < now() - ? * interval '1 second' THEN now()"
                + "   ELSE login_failures.first_time END", key, WINDOW.toSeconds(), WINDOW.toSeconds());
        db.update("UPDATE login_failures SET locked_until = now() + least(?, power(2, failures - ?)) * interval '1 second'"
                + " WHERE key = ? AND failures > ?", MAX_LOCK.toSeconds(), free, key, free);
    }
}

package org.fedorabuild.hub.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.fedorabuild.hub.db.Db;

/**
 * Web sign-in sessions. The cookie holds 32 random bytes; the database holds only their SHA-256, so a
 * leaked table opens no session. Sessions expire after their lifetime, end at sign-out, and are revoked
 * when the password changes ({@link Passwords#set}) or the user is blocked.
 */
public final class WebSessions {
    public static final String COOKIE = "coprhub_session";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A signed-in web user. {@code secret} is the cookie value (for the CSRF token of its forms). */
    public record SignedIn(int sessionId, int userId, String name, String secret) {
    }

    private final Db db;
    private final Duration lifetime;

    public WebSessions(Db db, Duration lifetime) {
        this.db = db;
        this.lifetime = lifetime;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** Starts a session for {@code userId}; returns the cookie value. */
    public String create(int userId, String address) {
        String secret = randomToken();
        db.insert("INSERT INTO web_sessions (user_id, key_hash, expire_time, address) VALUES (?, ?, ?, ?) RETURNING id",
                userId, sha256(secret), Instant.now().plus(lifetime), address);
        return secret;
    }

    /** The live session of a cookie value: unrevoked, unexpired, of a user who is not blocked. */
    public Optional<SignedIn> lookup(String secret) {
        if (secret == null || secret.length() != 43 || !secret.matches("[A-Za-z0-9_-]+")) {
            return Optional.empty();
        }
        return db.queryOne("SELECT s.id, s.user_id, u.name, s.seen_time < now() - interval '1 minute' AS stale"
                + " FROM web_sessions s JOIN users u ON u.id = s.user_id WHERE s.key_hash = ? AND NOT s.revoked"
                + " AND s.expire_time > now() AND u.status = 0 AND u.usertype = 0", sha256(secret)).map(r -> {
                    if (Boolean.TRUE.equals(r.get("stale"))) {
                        db.update("UPDATE web_sessions SET seen_time = now() WHERE id = ?", r.get("id"));
                    }
                    return new SignedIn((Integer) r.get("id"), (Integer) r.get("user_id"), (String) r.get("name"), secret);
                });
    }

    public void revoke(int sessionId) {
        db.update("UPDATE web_sessions SET revoked = true WHERE id = ?", sessionId);
    }

    public static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /**
     * The CSRF token of forms shown with {@code secret} (the session cookie, or the pre-session cookie of
     * anonymous forms): derived from a value only the browser holds (HttpOnly), so another site can
     * neither read nor compute it.
     */
    public static String csrfToken(String secret) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256("csrf\0" + secret));
    }

    public static boolean csrfValid(String secret, String submitted) {
        if (secret == null || submitted == null) {
            return false;
        }
        return MessageDigest.isEqual(csrfToken(secret).getBytes(StandardCharsets.US_ASCII),
                submitted.getBytes(StandardCharsets.US_ASCII));
    }
}

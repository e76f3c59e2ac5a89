package org.fedorabuild.hub.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.fedorabuild.hub.db.Db;

/**
 * API tokens: the password of {@code login(user, token)}. A token is 40 random alphanumerics
 * (238 bits), so a salted HMAC-SHA256 is enough to make a leaked table useless without the slow
 * hashing that low-entropy passwords need. The clear token exists only in the answer to its creator.
 */
public final class Tokens {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Db db;

    public Tokens(Db db) {
        this.db = db;
    }

    /** Creates a token for {@code userId}, valid for {@code lifetime} (null: no expiry); returns it in clear. */
    public String create(int userId, Duration lifetime) {
        return create(userId, "token", lifetime);
    }

    /** As {@link #create(int, Duration)}, with a name the owner chose (listed on the web's API page). */
    public String create(int userId, String name, Duration lifetime) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new org.fedorabuild.compat.fault.KojiFault.GenericError("a token name needs 1 to 100 characters");
        }
        String token = "coprhub-" + random(40);
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Instant expires = lifetime == null ? null : Instant.now().plus(lifetime);
        db.insert("INSERT INTO api_tokens (user_id, name, salt, hash, expire_time) VALUES (?, ?, ?, ?, ?) RETURNING id",
                userId, name.strip(), salt, hmac(salt, token), expires);
        return token;
    }

    /** True when {@code token} is one of the user's unrevoked, unexpired tokens; records its use. */
    public boolean verify(int userId, String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        for (var row : db.query("SELECT id, salt, hash FROM api_tokens WHERE user_id = ? AND NOT revoked"
                + " AND (expire_time IS NULL OR expire_time > now())", userId)) {
            if (MessageDigest.isEqual((byte[]) row.get("hash"), hmac((byte[]) row.get("salt"), token))) {
                db.update("UPDATE api_tokens SET last_used = now() WHERE id = ?", row.get("id"));
                return true;
            }
        }
        return false;
    }

    /** The user's unrevoked tokens (expired ones too, marked), newest first: id, name, created, expires, last_used. */
    public java.util.List<java.util.Map<String, Object>> list(int userId) {
        return db.query("SELECT id, name, create_time, expire_time, last_used,"
                + " (expire_time IS NOT NULL AND expire_time <= now()) AS expired FROM api_tokens"
                + " WHERE user_id = ? AND NOT revoked ORDER BY create_time DESC, id DESC LIMIT 500", userId);
    }

    /** Revokes one of the user's own tokens; false when the user has no such token. */
    public boolean revoke(int userId, int tokenId) {
        return db.update("UPDATE api_tokens SET revoked = true WHERE id = ? AND user_id = ? AND NOT revoked", tokenId, userId) > 0;
    }

    static String random(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    private static byte[] hmac(byte[] salt, String token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            return mac.doFinal(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }
}

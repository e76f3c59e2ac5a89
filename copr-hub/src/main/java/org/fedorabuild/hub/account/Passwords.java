package org.fedorabuild.hub.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.fedorabuild.hub.db.Db;

/**
 * Web passwords, stored as Argon2id (BouncyCastle) in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH}: the parameters travel with each hash, so stronger
 * ones later do not invalidate old hashes. 19 MiB / 2 passes / 1 lane is OWASP's minimum for Argon2id.
 * Setting a password revokes the user's web sessions (a stolen session must not outlive the change).
 */
public final class Passwords {
    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;
    static final int LANES = 1;
    public static final int MIN_LENGTH = 10;
    public static final int MAX_LENGTH = 1024;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    /** Verified against when the user has no password, so "no such user" costs as much as a wrong password. */
    private static final String DUMMY = hash("not a real password, only burns the same time");

    private final Db db;

    public Passwords(Db db) {
        this.db = db;
    }

    /** Why {@code password} is not acceptable, or empty when it is. */
    public static Optional<String> weakness(String password, String userName) {
        if (password == null || password.length() < MIN_LENGTH) {
            return Optional.of("a password needs at least " + MIN_LENGTH + " characters");
        }
        if (password.length() > MAX_LENGTH) {
            return Optional.of("a password may have at most " + MAX_LENGTH + " characters");
        }
        if (password.equalsIgnoreCase(userName) || password.chars().distinct().count() < 4) {
            return Optional.of("that password is too easy to guess");
        }
        return Optional.empty();
    }

    /** Sets the user's password and revokes every web session of the user. */
    public void set(int userId, String password) {
        db.update("INSERT INTO web_passwords (user_id, hash) VALUES (?, ?) ON CONFLICT (user_id)"
                + " DO UPDATE SET hash = EXCLUDED.hash, change_time = now()", userId, hash(password));
        db.update("UPDATE web_sessions SET revoked = true WHERE user_id = ? AND NOT revoked", userId);
    }

    public boolean has(int userId) {
        return db.scalar("SELECT 1 FROM web_passwords WHERE user_id = ?", userId).isPresent();
    }

    /** True when {@code password} is the user's; false for users without a password (after the same work). */
    public boolean verify(Integer userId, String password) {
        String stored = userId == null ? null
                : db.scalar("SELECT hash FROM web_passwords WHERE user_id = ?", userId).map(String::valueOf).orElse(null);
        boolean ok = matches(stored == null ? DUMMY : stored, password == null ? "" : password);
        return stored != null && ok;
    }

    static String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] out = derive(password, salt, MEMORY_KIB, ITERATIONS, LANES, 32);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + LANES + "$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(out);
    }

    static boolean matches(String phc, String password) {
        String[] parts = phc.split("\\$");
        // ["", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash]
        if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
            throw new IllegalStateException("stored password hash is not an Argon2id v19 PHC string");
        }
        int m = 0;
        int t = 0;
        int p = 0;
        for (String kv : parts[3].split(",")) {
            int v = Integer.parseInt(kv.substring(2));
            switch (kv.charAt(0)) {
                case 'm' -> m = v;
                case 't' -> t = v;
                case 'p' -> p = v;
                default -> throw new IllegalStateException("unknown Argon2 parameter " + kv);
            }
        }
        byte[] expected = B64D.decode(parts[5]);
        byte[] actual = derive(password, B64D.decode(parts[4]), m, t, p, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int lanes, int length) {
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt).withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(lanes).build());
        byte[] out = new byte[length];
        gen.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}

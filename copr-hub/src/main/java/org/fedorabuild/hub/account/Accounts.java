package org.fedorabuild.hub.account;

import java.time.Duration;
import java.util.Optional;
import org.fedorabuild.hub.auth.Tokens;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.db.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Web accounts: sign-in with a password (slowed down by {@link LoginThrottle}), sign-up when the hub
 * allows it, and the sessions that follow. Messages never say whether a user name exists.
 */
public final class Accounts {
    private static final Logger LOG = LoggerFactory.getLogger(Accounts.class);

    /** The outcome of a sign-in: a session cookie value, or the reason and (when throttled) the wait. */
    public record SignInResult(String session, String error, Duration retryAfter) {
        public boolean ok() {
            return session != null;
        }
    }

    public final Passwords passwords;
    public final WebSessions sessions;
    public final LoginThrottle throttle;
    public final Tokens tokens;
    private final Db db;
    private final Users users;
    private final WebSettings settings;

    public Accounts(Db db, Users users, Tokens tokens, WebSettings settings) {
        this.db = db;
        this.users = users;
        this.tokens = tokens;
        this.settings = settings;
        this.passwords = new Passwords(db);
        this.sessions = new WebSessions(db, settings.sessionLifetime());
        this.throttle = new LoginThrottle(db);
    }

    public WebSettings settings() {
        return settings;
    }

    public SignInResult signIn(String name, String password, String address) {
        String user = name == null ? "" : name.strip();
        Optional<Duration> wait = db.tx(() -> throttle.locked(user, address));
        if (wait.isPresent()) {
            long s = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            LOG.info("Web sign-in - refused for user {} from {}: throttled for {} s", user, address, s);
            return new SignInResult(null, "Too many failed sign-ins for this account or from this address; try again in "
                    + s + " seconds.", Duration.ofSeconds(s));
        }
        // The slow hash runs outside any transaction: it must not hold a database connection.
        Integer uid = db.tx(() -> users.byName(user).filter(u -> (Integer) u.get("usertype") == Users.NORMAL
                && (Integer) u.get("status") == 0).map(u -> (Integer) u.get("id")).orElse(null));
        boolean ok = passwords.verify(uid, password);
        return db.tx(() -> {
            if (!ok) {
                throttle.failed(user, address);
                return new SignInResult(null, "Wrong user name or password.", null);
            }
            throttle.succeeded(user);
            LOG.info("Web sign-in - user {} signed in from {}", user, address);
            return new SignInResult(sessions.create(uid, address), null, null);
        });
    }

    /** Creates an account with a password (when sign-up is open); returns the problem, or empty on success. */
    public Optional<String> signUp(String name, String password, String repeat, String address) {
        if (!settings.signupOpen()) {
            return Optional.of("Sign-up is closed on this hub; ask an admin for an account.");
        }
        if (name == null || !name.matches(Users.NAME_PATTERN)) {
            return Optional.of("A user name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
        if (password == null || !password.equals(repeat)) {
            return Optional.of("The two passwords differ.");
        }
        Optional<String> weak = Passwords.weakness(password, name);
        if (weak.isPresent()) {
            return Optional.of("Password refused: " + weak.get() + ".");
        }
        try {
            db.tx(() -> {
                int id = users.create(name, Users.NORMAL);
                passwords.set(id, password);
                return id;
            });
        } catch (org.fedorabuild.compat.fault.KojiFault e) {
            return Optional.of("That user name is taken or not allowed.");
        }
        LOG.info("Web sign-up - user {} created from {}", name, address);
        return Optional.empty();
    }
}

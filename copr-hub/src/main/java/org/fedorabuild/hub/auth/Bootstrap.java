package org.fedorabuild.hub.auth;

import java.time.Duration;
import java.util.Optional;
import org.fedorabuild.hub.db.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First start: a hub without any user gets its configured admin (BootstrapAdmin, default
 * {@code admin}) with the admin permission and one API token, which only the operator's terminal
 * sees (it is returned for printing, never logged). Later starts do nothing.
 */
public final class Bootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);

    /** The admin's name and clear token, shown once. */
    public record FirstAdmin(String name, String token) {
    }

    private Bootstrap() {
    }

    public static Optional<FirstAdmin> run(Db db, Users users, Tokens tokens, String adminName, Duration tokenLifetime) {
        if (adminName == null) {
            return Optional.empty();
        }
        return db.tx(() -> {
            // Serialize concurrent first starts (two hubs on one new database).
            db.scalar("SELECT pg_advisory_xact_lock(7370720)");
            if (users.count() > 0) {
                return Optional.empty();
            }
            int id = users.create(adminName, Users.NORMAL);
            users.grant(id, "admin");
            String token = tokens.create(id, tokenLifetime);
            LOG.info("Bootstrap - created hub admin {} (id {}) with an API token; the token is printed once on stdout,"
                    + " not logged", adminName, id);
            return Optional.of(new FirstAdmin(adminName, token));
        });
    }
}

package org.fedorabuild.hub.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.cli.CoprHubMain;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.auth.Tokens;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Web accounts on a real database: Argon2id hashes, sessions revoked by a password change, the CLI, sign-up rules. */
class AccountsTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path dir;

    @Test
    void passwordsAreSaltedArgon2idAndAChangeSignsEverySessionOut() {
        Db db = new Db(PG.dataSource());
        Users users = new Users(db);
        Accounts a = new Accounts(db, users, new Tokens(db), WebSettings.DEFAULTS);
        int carol = users.create("carol", Users.NORMAL);
        a.passwords.set(carol, "first password 1");
        String stored = (String) db.scalar("SELECT hash FROM web_passwords WHERE user_id = ?", carol).orElseThrow();
        assertTrue(stored.startsWith("$argon2id$v=19$m=19456,t=2,p=1$") && !stored.contains("first password"), stored);
        assertNotEquals(Passwords.hash("first password 1"), Passwords.hash("first password 1"), "salted");
        var in = a.signIn("carol", "first password 1", "192.0.2.1");
        assertTrue(in.ok(), String.valueOf(in.error()));
        assertTrue(a.sessions.lookup(in.session()).isPresent());
        assertEquals(0L, db.scalar("SELECT count(*) FROM web_sessions WHERE key_hash = convert_to(?, 'UTF8')", in.session()).orElseThrow(),
                "only a hash of the cookie is stored");
        a.passwords.set(carol, "second password 2");
        assertTrue(a.sessions.lookup(in.session()).isEmpty(), "a password change revokes the sessions");
        assertFalse(a.signIn("carol", "first password 1", "192.0.2.1").ok());
        assertEquals("Wrong user name or password.", a.signIn("nobody", "whatever pw", "192.0.2.1").error(), "same words for unknown users");
        assertTrue(a.signIn("carol", "second password 2", "192.0.2.1").ok());
    }

    @Test
    void signUpOnlyWhenOpenAndWithAcceptablePasswords() {
        Db db = new Db(PG.dataSource());
        Users users = new Users(db);
        Accounts closed = new Accounts(db, users, new Tokens(db), WebSettings.DEFAULTS);
        assertTrue(closed.signUp("dave", "long enough pw", "long enough pw", "192.0.2.2").orElseThrow().contains("closed"));
        Accounts open = new Accounts(db, users, new Tokens(db), new WebSettings(true, Duration.ofHours(1)));
        assertTrue(open.signUp("dave", "short", "short", "192.0.2.2").orElseThrow().contains("at least 10"));
        assertTrue(open.signUp("dave", "long enough pw", "other pw here", "192.0.2.2").orElseThrow().contains("differ"));
        assertTrue(open.signUp("../x", "long enough pw", "long enough pw", "192.0.2.2").isPresent());
        assertTrue(open.signUp("dave", "long enough pw", "long enough pw", "192.0.2.2").isEmpty());
        assertTrue(open.signUp("dave", "long enough pw", "long enough pw", "192.0.2.2").orElseThrow().contains("taken"));
    }

    @Test
    void userPasswdReadsStdinAndRefusesWeakPasswords() throws Exception {
        Db db = new Db(PG.dataSource());
        new Users(db).create("erin", Users.NORMAL);
        Path config = Files.writeString(dir.resolve("hub.conf"), "[hub]\nDBUser = " + PG.user() + "\nDBPass = " + PG.password() + "\n");
        assertEquals(1, passwd(config, "erin", "weak\n"), "too short");
        assertEquals(0, passwd(config, "erin", "a good web password\n"));
        Accounts a = new Accounts(db, new Users(db), new Tokens(db), WebSettings.DEFAULTS);
        assertTrue(a.signIn("erin", "a good web password", "192.0.2.3").ok());
        assertEquals(1, passwd(config, "nosuchuser", "a good web password\n"));
    }

    private static int passwd(Path config, String user, String stdin) {
        InputStream was = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return CoprHubMain.newCommandLine().setOut(new PrintWriter(new StringWriter(), true)).setErr(new PrintWriter(new StringWriter(), true))
                    .execute("user", "passwd", user, "--config", config.toString(), "--db-url", PG.jdbcUrl());
        } finally {
            System.setIn(was);
        }
    }
}

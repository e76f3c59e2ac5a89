package org.fedorabuild.watchdog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.fedorabuild.watchdog.audit.AuditStore;
import org.fedorabuild.watchdog.sim.Fleet;
import org.fedorabuild.watchdog.sim.OpensslPki;
import org.fedorabuild.watchdog.sim.OpensslPki.KeyFormat;
import org.fedorabuild.watchdog.sim.SimTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code authtype = ssl}: the watchdog logs in with a client certificate made by openssl (koji's {@code cert}
 * file: certificate and key in one PEM, the key in PKCS#1 or PKCS#8) over HTTPS to a hub that wants client
 * certificates, is the user named by the certificate's CN, and acts as that user; a {@code serverca} that did
 * not sign the hub's certificate fails the check non-zero and says why.
 */
class SslLoginTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations(AuditStore.MIGRATIONS);
    /** The CN of the watchdog's certificate, and so its Koji user (an admin, for freeTask). */
    private static final String CN = "kojira-watchdog";

    @TempDir
    Path dir;
    private Fleet fleet;
    private SimTask task;

    /** A hub on HTTPS signed by {@code pki}; builder1 dies holding a task, builder2 keeps checking in. */
    private void fleetBehindTls(OpensslPki pki) throws Exception {
        fleet = new Fleet(PG.dataSource(), 2, pki.hubContext());
        fleet.hub.addUser(CN, null, 0).perms.add("admin");
        task = fleet.hub.makeTask("buildArch");
        assertEquals(List.of(task.id), fleet.builder(1).checkIn());
        fleet.advance(Duration.ofSeconds(1000), Duration.ofSeconds(60), fleet.builder(2));
    }

    @AfterEach
    void close() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    private Path config(Path cert, Path serverca) throws Exception {
        Path conf = dir.resolve("kojira-watchdog.conf");
        // fence = no: with two hosts, one stale host is half the fleet; the fence is not what is tested here.
        Files.writeString(conf, fleet.sslConfigText(cert, serverca, Fleet.database(PG) + "fence = no\n"));
        return conf;
    }

    @ParameterizedTest
    @EnumSource(KeyFormat.class)
    void checkLogsInWithTheCertificatesCommonNameAndActs(KeyFormat format) throws Exception {
        OpensslPki pki = new OpensslPki(dir.resolve("pki"), "Koji test CA");
        fleetBehindTls(pki);
        Path conf = config(pki.clientIdentity(CN, format), pki.ca);

        CliRun check = CliRun.run("check", "--config", conf.toString());
        assertEquals(0, check.code(), check.out());
        assertTrue(fleet.hub.logins().contains("sslLogin " + CN), "logged in by certificate: " + fleet.hub.logins());
        assertTrue(fleet.hub.logins().stream().noneMatch(l -> l.startsWith("login " + CN)), fleet.hub.logins().toString());
        assertTrue(check.out().lines().anyMatch(l -> l.startsWith("stale-host") && l.contains("builder1")
                && l.contains("task " + task.id) && l.contains("freed")), check.out());
        assertEquals(0, task.state, "freed with the certificate user's admin permission");
    }

    @Test
    void serverCaThatDidNotSignTheHubFailsTheCheckAndSaysWhy() throws Exception {
        OpensslPki pki = new OpensslPki(dir.resolve("pki"), "Koji test CA");
        OpensslPki other = new OpensslPki(dir.resolve("other"), "Some other CA");
        fleetBehindTls(pki);
        Path conf = config(pki.clientIdentity(CN, KeyFormat.PKCS8), other.ca);

        CliRun check = CliRun.run("check", "--config", conf.toString());
        assertEquals(WatchdogMain.HUB_UNREADABLE, check.code(), check.out());
        String error = check.out().lines().filter(l -> l.startsWith("error")).findFirst().orElse("");
        assertTrue(error.startsWith("error  hub unreachable: no answer from " + fleet.hub.tlsUri() + " to sslLogin:")
                && error.contains("SSLHandshakeException") && error.contains("check serverca"), check.out());
        assertTrue(fleet.hub.logins().stream().noneMatch(l -> l.contains(CN)), fleet.hub.logins().toString());
        assertEquals(1, task.state, "nothing judged");
    }
}

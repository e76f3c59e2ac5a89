package org.fedorabuild.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.client.ClientSettings;
import org.fedorabuild.compat.client.ClientTls;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.hub.testing.Seed;
import org.fedorabuild.hub.testing.TestHub;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** sslLogin over the hub's TLS connector with client certificates made by openssl (CN = user). */
class TlsLoginTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");

    @TempDir
    static Path dir;

    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test-ca",
                "-keyout", "ca.key", "-out", "ca.pem");
        cert("server", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        cert("kojiuser", "/O=test/CN=kojiuser", null);
        cert("stranger", "/CN=stranger", null);
        // a CA the hub was not told to trust signs a certificate in kojiuser's name
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=other-ca",
                "-keyout", "other-ca.key", "-out", "other-ca.pem");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=kojiuser", "-keyout", "forged.key", "-out", "forged.csr");
        Files.writeString(dir.resolve("forged.ext"), "basicConstraints=CA:FALSE\n");
        openssl("x509", "-req", "-in", "forged.csr", "-CA", "other-ca.pem", "-CAkey", "other-ca.key", "-CAcreateserial", "-days", "2",
                "-extfile", dir.resolve("forged.ext").toString(), "-out", "forged.pem");
        Files.writeString(dir.resolve("forged-client.pem"), Files.readString(dir.resolve("forged.pem"))
                + Files.readString(dir.resolve("forged.key")));
        hub = TestHub.start(PG.dataSource(), "TLSListen = 127.0.0.1:0\nTLSCert = " + dir.resolve("server.pem") + "\nTLSKey = "
                + dir.resolve("server.key") + "\nTLSClientCA = " + dir.resolve("ca.pem") + "\n");
        Seed.captureState(hub.services);
    }

    private static void cert(String name, String subject, String san) throws Exception {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", name + ".key", "-out", name + ".csr");
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, san == null ? "basicConstraints=CA:FALSE\n" : san + "\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-extfile", ext.toString(), "-out", name + ".pem");
        Files.writeString(dir.resolve(name + "-client.pem"), Files.readString(dir.resolve(name + ".pem"))
                + Files.readString(dir.resolve(name + ".key")));
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("openssl " + cmd + " failed: " + out);
        }
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static KojiClient client(String user) {
        URI url = URI.create("https://127.0.0.1:" + hub.server.tlsPort() + "/kojihub");
        return new KojiClient(ClientSettings.defaults(url).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20))
                .withTls(ClientTls.context(user == null ? null : dir.resolve(user + "-client.pem"), dir.resolve("ca.pem"))));
    }

    @Test
    void certificateCommonNameIsTheUser() {
        try (KojiClient k = client("kojiuser")) {
            k.sslLogin();
            Map<?, ?> me = (Map<?, ?>) k.call("getLoggedInUser");
            assertEquals("kojiuser", me.get("name"));
            assertEquals(2L, me.get("authtype"));
            // The session works like a password session: Koji's permission fault, worded as the capture's.
            KojiFault f = assertThrows(KojiFault.class, () -> k.call("freeTask", 2));
            assertEquals("admin permission required (logged in as kojiuser)", f.getMessage());
            k.logout();
        }
    }

    @Test
    void anonymousReadsWorkOverTlsWithoutACertificate() {
        try (KojiClient k = client(null)) {
            assertEquals("1.34.3", k.call("getKojiVersion"));
            KojiFault f = assertThrows(KojiFault.class, k::sslLogin);
            assertEquals(1002, f.code());
        }
    }

    @Test
    void aCertificateFromAnUntrustedCaLogsNobodyIn() {
        try (KojiClient k = client("forged")) {
            // refused in the handshake or by sslLogin; either way no session
            Exception e = assertThrows(Exception.class, k::sslLogin);
            if (e instanceof KojiFault f) {
                assertEquals(1002, f.code(), f.getMessage());
            }
        }
    }

    @Test
    void unknownUsersAreRefusedUnlessLoginCreatesUser() {
        try (KojiClient k = client("stranger")) {
            KojiFault f = assertThrows(KojiFault.class, k::sslLogin);
            assertEquals(1002, f.code());
            assertEquals("Unknown user: stranger", f.getMessage());
        }
    }
}

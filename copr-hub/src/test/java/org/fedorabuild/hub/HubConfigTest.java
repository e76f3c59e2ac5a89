package org.fedorabuild.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.fedorabuild.hub.config.ConfigException;
import org.fedorabuild.hub.config.HubConfig;
import org.fedorabuild.hub.config.HubConfigLoader;
import org.fedorabuild.hub.config.HubConfigLoader.Overrides;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubConfigTest {
    @Test
    void defaults() {
        HubConfig c = HubConfigLoader.load(null, Overrides.NONE);
        assertEquals("127.0.0.1:8080", c.listen().toString());
        assertEquals(Path.of("./var/copr-hub"), c.dataDir());
        assertTrue(c.embeddedDatabase());
        assertEquals("http://127.0.0.1:8080", c.publicUrl());
        assertEquals(Duration.ofMinutes(1440), c.sessionRenewal());
        assertEquals("CN", c.dnUsernameComponent());
        assertFalse(c.loginCreatesUser());
        assertEquals("admin", c.bootstrapAdmin());
        assertNull(c.tlsListen());
        assertEquals(4194304L, c.maxRequestLength());
        assertFalse(c.serverOffline());
        assertEquals(16, c.dbPoolSize());
    }

    @Test
    void everyKeyMapsAndCommandLineWins(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("c.pem"), "x");
        String ini = "[hub]\nlisten = 0.0.0.0:9000\nDataDir = /srv/hub\nDBUrl = jdbc:postgresql://db/copr\nDBUser = copr\n"
                + "DBPass = s3cret\nDBPoolSize = 4\nPublicURL = https://hub.example.org/kojihub\nSessionRenewalTimeout = 60\n"
                + "DNUsernameComponent = UID\nLoginCreatesUser = yes\nBootstrapAdmin = root\nTLSListen = 0.0.0.0:9443\n"
                + "TLSCert = " + cert + "\nTLSKey = " + cert + "\nTLSClientCA = " + cert + "\nMaxRequestLength = 1048576\n"
                + "ServerOffline = on\nOfflineMessage = back soon\n";
        HubConfig c = HubConfigLoader.parse("t.conf", ini, Overrides.NONE);
        assertEquals("0.0.0.0:9000", c.listen().toString());
        assertEquals(Path.of("/srv/hub"), c.dataDir());
        assertEquals("jdbc:postgresql://db/copr", c.dbUrl());
        assertEquals("copr", c.dbUser());
        assertEquals("s3cret", c.dbPassword());
        assertEquals(4, c.dbPoolSize());
        assertEquals("https://hub.example.org", c.publicUrl());
        assertEquals(Duration.ofMinutes(60), c.sessionRenewal());
        assertEquals("UID", c.dnUsernameComponent());
        assertTrue(c.loginCreatesUser());
        assertEquals("root", c.bootstrapAdmin());
        assertEquals(9443, c.tlsListen().port());
        assertEquals(cert, c.tlsClientCa());
        assertEquals(1048576L, c.maxRequestLength());
        assertTrue(c.serverOffline());
        assertEquals("back soon", c.offlineMessage());
        assertFalse(c.toString().contains("s3cret"), "secrets are masked: " + c);
        HubConfig o = HubConfigLoader.parse("t.conf", ini, new Overrides("127.0.0.1:1", Path.of("/tmp/x"), "jdbc:postgresql://other/db"));
        assertEquals("127.0.0.1:1", o.listen().toString());
        assertEquals(Path.of("/tmp/x"), o.dataDir());
        assertEquals("jdbc:postgresql://other/db", o.dbUrl());
    }

    @Test
    void brokenFileReportsEveryProblemAtOnce() {
        String ini = "[hub]\nListen = nowhere\nDBPoolSize = many\nSessionRenewalTimeout = -5\nLoginCreatesUser = perhaps\n"
                + "Bogus = 1\nDBUrl = mysql://x\n[other]\nx = 1\nnot a key line\n";
        ConfigException e = assertThrows(ConfigException.class, () -> HubConfigLoader.parse("bad.conf", ini, Overrides.NONE));
        String all = String.join("\n", e.problems());
        for (String expected : new String[] {"Listen", "DBPoolSize", "SessionRenewalTimeout", "LoginCreatesUser",
                "unknown config option: bogus", "DBUrl", "unknown section [other]", "bad.conf:10"}) {
            assertTrue(all.contains(expected), "missing " + expected + " in:\n" + all);
        }
        assertTrue(e.problems().size() >= 8, all);
        assertTrue(all.contains("bad.conf:2"), "problems point at their line:\n" + all);
    }

    @Test
    void tlsNeedsCertificateAndKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> HubConfigLoader.parse("t.conf", "[hub]\nTLSListen = 127.0.0.1:0\nTLSCert = /nonexistent.pem\n", Overrides.NONE));
        assertTrue(e.getMessage().contains("TLSListen: needs TLSCert and TLSKey"), e.getMessage());
        assertTrue(e.getMessage().contains("/nonexistent.pem is not readable"), e.getMessage());
    }

    @Test
    void tlsNeedsAClientCaSoPublicCasNeverNameUsers() throws Exception {
        Path cert = java.nio.file.Files.createTempFile("cert", ".pem");
        try {
            ConfigException e = assertThrows(ConfigException.class, () -> HubConfigLoader.parse("t.conf", "[hub]\nTLSListen = 127.0.0.1:0\n"
                    + "TLSCert = " + cert + "\nTLSKey = " + cert + "\n", Overrides.NONE));
            assertTrue(e.getMessage().contains("TLSListen: needs TLSClientCA"), e.getMessage());
        } finally {
            java.nio.file.Files.delete(cert);
        }
    }

    @Test
    void limitsAreCheckedAndShown() {
        ConfigException e = assertThrows(ConfigException.class, () -> HubConfigLoader.parse("t.conf",
                "[hub]\nMulticallMaxCalls = 0\nAnonListDefault = 20\nAnonListMax = 10\nIdleTimeout = soon\n", Overrides.NONE));
        assertTrue(e.getMessage().contains("MulticallMaxCalls: 0 is out of range 1..100000"), e.getMessage());
        assertTrue(e.getMessage().contains("AnonListDefault: 20 is larger than AnonListMax 10"), e.getMessage());
        assertTrue(e.getMessage().contains("IdleTimeout: 'soon' is not a duration (expected seconds, or a number with s, m, h or d"),
                e.getMessage());
        var c = HubConfigLoader.parse("t.conf", "[hub]\nMaxLogBytes = 1048576\n", Overrides.NONE);
        assertEquals(1048576L, c.limits().maxLogBytes());
        assertEquals("1048576", c.describe().get("MaxLogBytes"));
        assertEquals("5000", c.describe().get("MulticallMaxCalls"));
    }

    @Test
    void shippedExampleConfigIsValid() {
        Path example = Path.of("../etc/copr-hub/copr-hub.conf");
        HubConfig c = HubConfigLoader.load(example, Overrides.NONE);
        assertEquals(HubConfigLoader.load(null, Overrides.NONE).describe(), c.describe(), "the example states the defaults");
    }

    @Test
    void buildKeysHaveDefaultsMapAndAreValidated() {
        HubConfig d = HubConfigLoader.load(null, new Overrides(null, Path.of("/srv/hub"), null));
        assertEquals(Path.of("/srv/hub/results"), d.builds().storageRoot());
        assertEquals(2147483648L, d.builds().uploadMaxSize());
        assertEquals(java.time.Duration.ofHours(24), d.builds().uploadMaxAge());
        assertEquals(java.util.Set.of("git", "git+https", "git+http"), d.builds().scmSchemes());
        assertEquals("auto", d.builds().buildBackend());
        assertEquals(Path.of(System.getProperty("user.home"), ".ssh/known_hosts"), d.builds().sshKnownHosts());
        HubConfig c = HubConfigLoader.parse("b.conf", "[hub]\nStorageRoot = /data/results\nUploadMaxSize = 4096\nUploadMaxAge = 2\n"
                + "LookasideURL = https://src.fedoraproject.org/repo/pkgs\nSCMSchemes = git+https, git+file\nBuildBackend = MOCK\n"
                + "BuildTimeout = 600\nSSHConnectTimeout = 5\nDispatchInterval = 0.25\nHostCheckInterval = 30\n", Overrides.NONE);
        assertEquals(Path.of("/data/results"), c.builds().storageRoot());
        assertEquals(4096, c.builds().uploadMaxSize());
        assertEquals(java.time.Duration.ofHours(2), c.builds().uploadMaxAge());
        assertEquals("https://src.fedoraproject.org/repo/pkgs", c.builds().lookasideUrl());
        assertEquals(java.util.Set.of("git+https", "git+file"), c.builds().scmSchemes());
        assertEquals("mock", c.builds().buildBackend());
        assertEquals(java.time.Duration.ofSeconds(600), c.builds().buildTimeout());
        assertEquals(java.time.Duration.ofMillis(250), c.builds().dispatchInterval());
        assertEquals(java.time.Duration.ofSeconds(30), c.builds().hostCheckInterval());
        ConfigException e = assertThrows(ConfigException.class, () -> HubConfigLoader.parse("b.conf", "[hub]\nUploadMaxSize = 10\n"
                + "LookasideURL = ftp://x\nSCMSchemes = svn\nBuildBackend = docker\nSSHKey = /nonexistent/key\n"
                + "DispatchInterval = 0\nBuildTimeout = lots\n", Overrides.NONE));
        for (String expected : new String[] {"UploadMaxSize", "LookasideURL", "unsupported scheme 'svn'", "BuildBackend",
                "/nonexistent/key is not readable", "DispatchInterval", "BuildTimeout"}) {
            assertTrue(e.getMessage().contains(expected), "missing " + expected + " in:\n" + e.getMessage());
        }
    }

    @Test
    void clusterKeysDefaultAndAreValidated() {
        HubConfig c = HubConfigLoader.parse("c.conf", "[hub]\nListen = 127.0.0.1:8081\n", Overrides.NONE);
        assertTrue(c.cluster().instanceId().endsWith(":8081"), c.cluster().instanceId());
        assertEquals(Duration.ofSeconds(30), c.cluster().lease());
        assertEquals("hub-2", HubConfigLoader.parse("c.conf", "[hub]\nInstanceId = hub-2\nHostLease = 12\n", Overrides.NONE)
                .cluster().instanceId());
        ConfigException e = assertThrows(ConfigException.class, () -> HubConfigLoader.parse("c.conf",
                "[hub]\nInstanceId = bad id; drop\nDispatchInterval = 2\nHostLease = 5\n", Overrides.NONE));
        assertTrue(e.getMessage().contains("InstanceId: expected 1-128 letters") && e.getMessage().contains("'bad id; drop'"),
                e.getMessage());
        assertTrue(e.getMessage().contains("HostLease: 5.0 s is shorter than 3 DispatchIntervals (6.0 s)"), e.getMessage());
    }

    @Test
    void everyDurationKeyTakesTheOneSyntaxAndBareNumbersKeepTheirOldUnit() {
        HubConfig bare = HubConfigLoader.parse("d.conf", "[hub]\nSessionRenewalTimeout = 90\nUploadMaxAge = 3\nIdleTimeout = 45\n"
                + "SourceURLTimeout = 120\nBuildCPUTime = 3600\n", Overrides.NONE);
        assertEquals(Duration.ofMinutes(90), bare.sessionRenewal());
        assertEquals(Duration.ofHours(3), bare.builds().uploadMaxAge());
        assertEquals(Duration.ofSeconds(45), bare.limits().idleTimeout());
        assertEquals(Duration.ofSeconds(120), bare.sourceUrls().timeout());
        assertEquals(3600, bare.builds().sandboxLimits().cpuSeconds());
        HubConfig units = HubConfigLoader.parse("d.conf", "[hub]\nSessionRenewalTimeout = 2h\nUploadMaxAge = 1d\nIdleTimeout = 1m\n"
                + "SourceURLTimeout = 15m\nBuildCPUTime = 2h\nBuildTimeout = 1d\nHostLease = 45s\nDispatchInterval = 500ms\n"
                + "LoginCreatesUser = On\nServerOffline = 0\n", Overrides.NONE);
        assertEquals(Duration.ofMinutes(120), units.sessionRenewal());
        assertEquals(Duration.ofHours(24), units.builds().uploadMaxAge());
        assertEquals(Duration.ofSeconds(60), units.limits().idleTimeout());
        assertEquals(Duration.ofMinutes(15), units.sourceUrls().timeout());
        assertEquals(7200, units.builds().sandboxLimits().cpuSeconds());
        assertEquals(Duration.ofDays(1), units.builds().buildTimeout());
        assertEquals(Duration.ofSeconds(45), units.cluster().lease());
        assertEquals(Duration.ofMillis(500), units.builds().dispatchInterval());
        assertTrue(units.loginCreatesUser());
        assertFalse(units.serverOffline());
        assertEquals("120", units.describe().get("SessionRenewalTimeout"), "shown in the key's historical unit");
        ConfigException e = assertThrows(ConfigException.class, () -> HubConfigLoader.parse("d.conf",
                "[hub]\nSessionRenewalTimeout = soon\nUploadMaxAge = 90m\nIdleTimeout = 2d\nBuildCPUTime = 1.5s\n"
                + "LoginCreatesUser = maybe\n", Overrides.NONE));
        String all = String.join("\n", e.problems());
        for (String expected : new String[] {"d.conf:2: SessionRenewalTimeout: 'soon' is not a duration (expected minutes",
                "d.conf:3: UploadMaxAge: 90 min is not a whole number of hours", "d.conf:4: IdleTimeout: '2d' is out of range 1 s .. 86400 s",
                "d.conf:5: BuildCPUTime: 1500 ms is not a whole number of seconds", "d.conf:6: LoginCreatesUser: 'maybe' is not a boolean"}) {
            assertTrue(all.contains(expected), "missing " + expected + " in:\n" + all);
        }
        assertEquals(5, e.problems().size(), all);
    }

    @Test
    void everyKeyIsDeclaredOnceWithHelpAndSecretsAreNeverShown() {
        for (var k : org.fedorabuild.hub.config.HubKeys.ALL.values()) {
            assertFalse(k.help().isBlank(), k.name() + " has no documentation");
        }
        HubConfig c = HubConfigLoader.parse("s.conf", "[hub]\ndbpass = hunter2\n", Overrides.NONE);
        assertEquals("hunter2", c.dbPassword(), "keys match case-insensitively, as in ConfigParser");
        assertEquals("****", c.describe().get("DBPass"));
        assertFalse(c.describe().toString().contains("hunter2"));
    }

    @Test
    void retentionWebAndPoolDurationsTakeTheSameSyntax() {
        HubConfig c = HubConfigLoader.parse("r.conf", "[hub]\n[retention]\nupload_hours = 90m\nidle_builder_hours = 2\n"
                + "decommission_timeout = 2m\n[web]\nSessionHours = 30m\n", Overrides.NONE);
        assertEquals(Duration.ofMinutes(90), c.retention().uploadAge());
        assertEquals(Duration.ofHours(2), c.retention().idleBuilder());
        assertEquals(Duration.ofMinutes(2), c.retention().hookTimeout());
        assertEquals(Duration.ofMinutes(30), c.web().sessionLifetime());
        assertEquals("90m", c.describe().get("UploadMaxAge"), "shown exactly, not rounded to hours");
        assertEquals("30m", c.describe().get("[web] SessionHours"));
        assertEquals("2", c.retention().describe().get("idle_builder_hours"));
        assertEquals(Duration.ofMillis(1500), org.fedorabuild.hub.pool.PoolKeys.duration("1.5s"));
        ConfigException e = assertThrows(ConfigException.class, () -> HubConfigLoader.parse("r.conf",
                "[hub]\n[retention]\ndecommission_timeout = 2d\n[web]\nSessionHours = forever\n", Overrides.NONE));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("r.conf:3: decommission_timeout: '2d' is out of range 1 s .. 86400 s"), all);
        assertTrue(all.contains("r.conf:5: SessionHours: expected a number of hours 1..8784 or a duration"), all);
    }
}

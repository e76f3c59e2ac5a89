package org.fedorabuild.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.process.Command;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds packaging/rpm/copr-hub.spec with rpmbuild (Debian's rpm) from a tarball of this checkout and the jars the
 * reactor just built, then reads the packages back as an operator's rpm would: files, owners and modes,
 * configuration files, requirements, scriptlets, and the units' and configs' contents.
 */
class RpmPackageTest {
    @TempDir
    static Path top;
    static Path root = Path.of("..").toAbsolutePath().normalize();
    static Path hubRpm;
    static Path watchdogRpm;

    @BeforeAll
    static void build() throws Exception {
        Path pre = Files.createDirectories(top.resolve("prebuilt"));
        for (String m : List.of("copr-hub", "kojira-watchdog")) {
            Path jar = root.resolve(m + "/target/" + m + ".jar");
            assertTrue(Files.isRegularFile(jar), jar + " missing: run through the reactor (./mvnw verify) so it is packaged first");
            Files.copy(jar, pre.resolve(m + ".jar"));
        }
        Path sources = Files.createDirectories(top.resolve("SOURCES"));
        Command.of("tar", "--exclude=./*/target", "--exclude=./.git", "--exclude=./var",
                "--transform", "s,^\\.,copr-hub-0.1.0,", "-czf", sources.resolve("copr-hub-0.1.0.tar.gz").toString(), ".")
                .directory(root).timeout(Duration.ofMinutes(2)).runChecked("packing the sources");
        // Fast gzip payloads: the default xz spends most of a minute on the two jars; the contents are the same.
        Command.of("rpmbuild", "-ba", "--define", "_topdir " + top, "--define", "prebuilt_dir " + pre,
                "--define", "_binary_payload w1.gzdio", "--define", "_source_payload w1.gzdio",
                root.resolve("packaging/rpm/copr-hub.spec").toString())
                .timeout(Duration.ofMinutes(5)).outputLimit(64 * 1024).runChecked("rpmbuild -ba");
        hubRpm = top.resolve("RPMS/noarch/copr-hub-0.1.0-1.noarch.rpm");
        watchdogRpm = top.resolve("RPMS/noarch/kojira-watchdog-0.1.0-1.noarch.rpm");
        assertTrue(Files.isRegularFile(hubRpm) && Files.isRegularFile(watchdogRpm), "binary packages written");
        assertTrue(Files.isRegularFile(top.resolve("SRPMS/copr-hub-0.1.0-1.src.rpm")), "source package written");
    }

    /** path -> "user group perms" of every file in the package. */
    private static Map<String, String> files(Path rpm) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (String line : rpm(rpm, "--qf", "[%{FILENAMES} %{FILEUSERNAME} %{FILEGROUPNAME} %{FILEMODES:perms}\\n]")) {
            String[] f = line.split(" ", 2);
            out.put(f[0], f[1]);
        }
        return out;
    }

    private static List<String> rpm(Path rpm, String... query) throws Exception {
        String[] argv = new String[query.length + 3];
        argv[0] = "rpm";
        argv[1] = "-qp";
        System.arraycopy(query, 0, argv, 2, query.length);
        argv[argv.length - 1] = rpm.toString();
        return Arrays.asList(Command.of(argv).timeout(Duration.ofSeconds(60)).runChecked("querying " + rpm.getFileName())
                .stdout().strip().split("\n"));
    }

    /** One file's content, extracted from the package with rpm2cpio and cpio. */
    private static String content(Path rpm, String path) throws Exception {
        Path dir = Files.createTempDirectory(top, "x");
        Command.of("bash", "-c", "rpm2cpio \"$0\" | cpio -idm --quiet \"$1\"", rpm.toString(), "." + path)
                .directory(dir).timeout(Duration.ofSeconds(60)).runChecked("extracting " + path);
        return Files.readString(dir.resolve("." + path));
    }

    @Test
    void hubPackageInstallsJarLauncherUnitUserConfigAndStateDirectory() throws Exception {
        Map<String, String> f = files(hubRpm);
        assertEquals("root root -rw-r--r--", f.get("/usr/share/copr-hub/copr-hub.jar"));
        assertEquals(Files.size(root.resolve("copr-hub/target/copr-hub.jar")),
                Long.parseLong(rpm(hubRpm, "--qf", "[%{FILENAMES} %{FILESIZES}\\n]").stream()
                        .filter(l -> l.startsWith("/usr/share/copr-hub/copr-hub.jar ")).findFirst().orElseThrow().split(" ")[1]));
        assertEquals("root root -rwxr-xr-x", f.get("/usr/bin/copr-hub"));
        assertEquals("root root -rw-r--r--", f.get("/usr/lib/systemd/system/copr-hub.service"));
        assertEquals("root copr-hub -rw-r-----", f.get("/etc/copr-hub/copr-hub.conf"), "config readable by the service only");
        assertEquals("copr-hub copr-hub drwxr-x---", f.get("/var/lib/copr-hub"));
        assertTrue(f.containsKey("/usr/lib/sysusers.d/copr-hub.conf"));
        assertEquals(List.of("/etc/copr-hub/copr-hub.conf"), rpm(hubRpm, "-c"), "the only %config file");
        assertTrue(rpm(hubRpm, "-R").containsAll(List.of("createrepo_c", "bubblewrap", "postgresql-server", "rpm-build")));
        assertTrue(String.join("\n", rpm(hubRpm, "--scripts")).contains("u copr-hub - "), "%pre creates the system user");

        String unit = content(hubRpm, "/usr/lib/systemd/system/copr-hub.service");
        for (String line : List.of("User=copr-hub", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes",
                "StateDirectory=copr-hub", "ReadWritePaths=/var/lib/copr-hub",
                "ExecStart=/usr/bin/java -Xms256m -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -jar /usr/share/copr-hub/copr-hub.jar serve"
                        + " --config /etc/copr-hub/copr-hub.conf")) {
            assertTrue(unit.lines().anyMatch(line::equals), "copr-hub.service has " + line);
        }
        // The build sandbox (bubblewrap) needs namespaces: the hub's unit must not forbid them.
        assertTrue(unit.lines().noneMatch(l -> l.startsWith("RestrictNamespaces=") || l.startsWith("PrivateUsers=")), unit);
        String conf = content(hubRpm, "/etc/copr-hub/copr-hub.conf");
        assertTrue(conf.lines().anyMatch("DataDir = /var/lib/copr-hub"::equals), "DataDir under /var/lib");
        assertTrue(conf.lines().anyMatch("SSHKey = /var/lib/copr-hub/.ssh/id_ed25519"::equals), "no ~ of a login user");
    }

    @Test
    void watchdogPackageInstallsItsOwnUserUnitAndConfig() throws Exception {
        Map<String, String> f = files(watchdogRpm);
        assertEquals("root root -rw-r--r--", f.get("/usr/share/kojira-watchdog/kojira-watchdog.jar"));
        assertEquals("root kojira-watchdog -rw-r-----", f.get("/etc/kojira-watchdog/kojira-watchdog.conf"));
        assertEquals("kojira-watchdog kojira-watchdog drwx------", f.get("/var/lib/kojira-watchdog"));
        assertTrue(f.containsKey("/usr/lib/sysusers.d/kojira-watchdog.conf"));
        assertTrue(f.keySet().stream().noneMatch(p -> p.contains("copr-hub")), "no file of the hub: " + f.keySet());
        String unit = content(watchdogRpm, "/usr/lib/systemd/system/kojira-watchdog.service");
        for (String line : List.of("User=kojira-watchdog", "NoNewPrivileges=yes", "ProtectSystem=strict",
                "StateDirectory=kojira-watchdog", "TimeoutStopSec=120")) {
            assertTrue(unit.lines().anyMatch(line::equals), "kojira-watchdog.service has " + line);
        }
        assertTrue(content(watchdogRpm, "/etc/kojira-watchdog/kojira-watchdog.conf").lines()
                .anyMatch("data_dir = /var/lib/kojira-watchdog"::equals));
    }
}

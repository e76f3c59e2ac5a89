package org.fedorabuild.hub.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.fedorabuild.compat.profile.ConfigKey;
import org.fedorabuild.compat.profile.IniFile;
import org.fedorabuild.hub.config.HubConfig.HostPort;
import org.fedorabuild.hub.retention.RetentionKeys;
import org.fedorabuild.hub.retention.RetentionSettings;

/**
 * Builds a {@link HubConfig}: defaults, then the {@code [hub]} section of the INI file, then the
 * command-line overrides. Each key is declared once in {@link HubKeys} (typed {@link ConfigKey}s, as the watchdog's);
 * unknown keys and sections are errors, and all problems are reported at once.
 */
public final class HubConfigLoader {
    public static final String SECTION = "hub";

    /** Command-line options that win over the file; null fields are not given. */
    public record Overrides(String listen, Path dataDir, String dbUrl) {
        public static final Overrides NONE = new Overrides(null, null, null);
    }

    private final List<String> problems = new ArrayList<>();
    private IniFile ini;
    private RetentionSettings retention;
    /** Key name → parsed value of the keys the file or command line set (the rest take the key's default). */
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, String> origin = new LinkedHashMap<>();

    private HubConfigLoader() {
    }

    /** Loads {@code file} (null: defaults only) with {@code overrides}. */
    public static HubConfig load(Path file, Overrides overrides) {
        IniFile ini = null;
        List<String> early = new ArrayList<>();
        if (file != null) {
            try {
                ini = IniFile.read(file);
            } catch (IOException e) {
                early.add("cannot read config file " + file + ": " + e);
            }
        }
        return fromIni(ini, overrides, early);
    }

    /** As {@link #load} from INI text, for tests and embedded use. */
    public static HubConfig parse(String source, String text, Overrides overrides) {
        return fromIni(IniFile.parse(source, text), overrides, List.of());
    }

    private static HubConfig fromIni(IniFile ini, Overrides overrides, List<String> early) {
        HubConfigLoader l = new HubConfigLoader();
        l.problems.addAll(early);
        l.ini = ini;
        if (ini != null) {
            l.problems.addAll(ini.errors());
            for (String section : ini.sectionNames()) {
                if (!section.equals(SECTION) && !section.equals(RetentionKeys.SECTION)
                        && !org.fedorabuild.hub.pool.PoolKeys.isPoolSection(section)
                        && !section.equals(org.fedorabuild.hub.account.WebSettings.SECTION)) {
                    l.problems.add(ini.source() + ": unknown section [" + section + "] (copr-hub reads only [" + SECTION + "], ["
                            + RetentionKeys.SECTION + "], [web] and [pool NAME])");
                }
            }
            for (IniFile.Entry e : ini.section(SECTION).values()) {
                ConfigKey<?> key = HubKeys.byName(e.key());
                if (key == null) {
                    l.problems.add(ini.source() + ":" + e.line() + ": unknown config option: " + e.key());
                } else {
                    l.set(key, e.value(), ini.source() + ":" + e.line());
                }
            }
        }
        if (overrides.listen() != null) {
            l.set(HubKeys.LISTEN, overrides.listen(), "--listen");
        }
        if (overrides.dataDir() != null) {
            l.set(HubKeys.DATA_DIR, overrides.dataDir().toString(), "--data");
        }
        if (overrides.dbUrl() != null) {
            l.set(HubKeys.DB_URL, overrides.dbUrl(), "--db-url");
        }
        return l.build();
    }

    /** Parses {@code text} for {@code key}; a bad value is reported and the key keeps its default. */
    private void set(ConfigKey<?> key, String text, String from) {
        origin.put(key.name(), from);
        try {
            values.put(key.name(), key.parse(text));
        } catch (IllegalArgumentException e) {
            values.remove(key.name());
            problem(key.name(), e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T get(ConfigKey<T> key) {
        return values.containsKey(key.name()) ? (T) values.get(key.name()) : key.defaultValue();
    }

    private boolean isDefault(ConfigKey<?> key) {
        return !origin.containsKey(key.name());
    }

    private HubConfig build() {
        HostPort listen = checked(HubKeys.LISTEN, HubConfigLoader::hostPort);
        Path dataDir = Path.of(get(HubKeys.DATA_DIR));
        String dbUrl = blankToNull(get(HubKeys.DB_URL));
        if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:")) {
            problem("DBUrl", "expected a jdbc:postgresql: URL, got '" + dbUrl + "'");
        }
        int pool = get(HubKeys.DB_POOL_SIZE).intValue();
        String publicUrl = blankToNull(get(HubKeys.PUBLIC_URL));
        if (publicUrl == null && listen != null) {
            String host = listen.host().equals("0.0.0.0") || listen.host().equals("::") ? "127.0.0.1" : listen.host();
            publicUrl = "http://" + host + ":" + listen.port();
        } else if (publicUrl != null) {
            if (!publicUrl.matches("https?://[^\\s/]+(/\\S*)?")) {
                problem("PublicURL", "expected an http(s) URL, got '" + publicUrl + "'");
            }
            publicUrl = publicUrl.replaceAll("/+$", "").replaceAll("/kojihub$", "");
        }
        Duration renewal = get(HubKeys.SESSION_RENEWAL);
        String dn = get(HubKeys.DN_USERNAME);
        if (!dn.matches("[A-Za-z][A-Za-z0-9.]*")) {
            problem("DNUsernameComponent", "expected a DN attribute type such as CN or UID, got '" + dn + "'");
        }
        boolean creates = get(HubKeys.LOGIN_CREATES_USER);
        String admin = blankToNull(get(HubKeys.BOOTSTRAP_ADMIN));
        if (admin != null && !admin.matches(org.fedorabuild.hub.auth.Users.NAME_PATTERN)) {
            problem("BootstrapAdmin", "'" + admin + "' is not a valid user name");
        }
        HostPort tls = blankToNull(get(HubKeys.TLS_LISTEN)) == null ? null : checked(HubKeys.TLS_LISTEN, HubConfigLoader::hostPort);
        Path cert = path(HubKeys.TLS_CERT);
        Path key = path(HubKeys.TLS_KEY);
        Path ca = path(HubKeys.TLS_CLIENT_CA);
        if (tls != null && (cert == null || key == null)) {
            problem("TLSListen", "needs TLSCert and TLSKey");
        }
        if (tls != null && ca == null) {
            // without it the JDK's public CAs would vouch for user names (sslLogin takes the certificate's CN)
            problem("TLSListen", "needs TLSClientCA, the CA bundle client certificates must chain to");
        }
        for (var p : new Object[][] {{"TLSCert", cert}, {"TLSKey", key}, {"TLSClientCA", ca}}) {
            if (p[1] != null && !Files.isReadable((Path) p[1])) {
                problem((String) p[0], "file " + p[1] + " is not readable");
            }
        }
        long maxLen = get(HubKeys.MAX_REQUEST_LENGTH);
        boolean offline = get(HubKeys.SERVER_OFFLINE);
        BuildSettings builds = builds(dataDir);
        String cycles = get(HubKeys.CHAIN_CYCLES);
        int cycleAttempts = get(HubKeys.CHAIN_CYCLE_ATTEMPTS).intValue();
        Limits limits = Limits.parse(this::get, this::get, this::problem);
        int perOwner = get(HubKeys.MAX_BUILDS_PER_OWNER).intValue();
        var pools = new org.fedorabuild.hub.pool.PoolsConfig(org.fedorabuild.hub.pool.PoolKeys.load(ini, problems), perOwner);
        boolean allowPrivate = get(HubKeys.SOURCE_URL_ALLOW_PRIVATE);
        long sourceMax = get(HubKeys.SOURCE_URL_MAX_SIZE);
        Duration sourceTimeout = get(HubKeys.SOURCE_URL_TIMEOUT);
        var web = org.fedorabuild.hub.account.WebSettings.load(ini, problems);
        org.fedorabuild.hub.cluster.ClusterSettings cluster = cluster(listen, builds);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new HubConfig(listen, dataDir, dbUrl, blankToNull(get(HubKeys.DB_USER)), get(HubKeys.DB_PASS), pool,
                publicUrl, renewal, dn, creates, admin, tls, cert, key, ca, maxLen, offline,
                get(HubKeys.OFFLINE_MESSAGE), builds, retention, new org.fedorabuild.hub.chain.ChainSettings(cycles, cycleAttempts), limits,
                pools, web, new org.fedorabuild.hub.source.SourceUrlSettings(allowPrivate, sourceMax, sourceTimeout),
                cluster);
    }

    /** InstanceId (default HOSTNAME:PORT) and HostLease, which must outlast a few dispatch rounds. */
    private org.fedorabuild.hub.cluster.ClusterSettings cluster(HostPort listen, BuildSettings builds) {
        String id = blankToNull(get(HubKeys.INSTANCE_ID));
        if (id == null) {
            id = org.fedorabuild.hub.cluster.ClusterSettings.defaultInstanceId(listen == null ? 0 : listen.port());
        } else if (!id.matches(org.fedorabuild.hub.cluster.ClusterSettings.ID_PATTERN)) {
            problem("InstanceId", "expected 1-128 letters, digits and . _ : @ - (starting with a letter or digit), got '" + id + "'");
        }
        Duration lease = get(HubKeys.HOST_LEASE);
        if (lease.compareTo(builds.dispatchInterval().multipliedBy(3)) < 0) {
            problem("HostLease", lease.toMillis() / 1000.0 + " s is shorter than 3 DispatchIntervals ("
                    + builds.dispatchInterval().multipliedBy(3).toMillis() / 1000.0 + " s): the lease is renewed once per round");
        }
        return new org.fedorabuild.hub.cluster.ClusterSettings(id, lease);
    }

    private BuildSettings builds(Path dataDir) {
        String storage = blankToNull(get(HubKeys.STORAGE_ROOT));
        Path storageRoot = storage != null ? Path.of(storage) : dataDir.resolve("results");
        long maxSize = get(HubKeys.UPLOAD_MAX_SIZE);
        // [retention] upload_hours is the one source of truth; [hub] UploadMaxAge is its deprecated alias.
        Long legacyAge = null;
        if (!isDefault(HubKeys.UPLOAD_MAX_AGE) && values.containsKey(HubKeys.UPLOAD_MAX_AGE.name())) {
            Duration age = get(HubKeys.UPLOAD_MAX_AGE);
            if (age.toMillis() % 3_600_000 != 0) {
                problem("UploadMaxAge", age.toMinutes() + " min is not a whole number of hours (as [retention] upload_hours)");
            } else {
                legacyAge = age.toHours();
            }
        }
        retention = RetentionKeys.load(ini, legacyAge, origin.get("UploadMaxAge"), problems);
        Duration maxAge = retention == null ? null : retention.uploadAge();
        String lookaside = get(HubKeys.LOOKASIDE_URL);
        if (!lookaside.isEmpty() && !lookaside.matches("(https?|file)://\\S+")) {
            problem("LookasideURL", "expected an http(s):// or file:// URL, got '" + lookaside + "'");
        }
        String backend = get(HubKeys.BUILD_BACKEND);
        Duration timeout = get(HubKeys.BUILD_TIMEOUT);
        Path key = home(get(HubKeys.SSH_KEY));
        Path knownHosts = home(get(HubKeys.SSH_KNOWN_HOSTS));
        // The defaults (~/.ssh/…) may be absent on a hub without SSH builders; a path set on purpose must exist.
        if (!HubKeys.SSH_KEY.defaultValue().equals(get(HubKeys.SSH_KEY)) && key != null && !Files.isReadable(key)) {
            problem("SSHKey", "file " + key + " is not readable");
        }
        if (!HubKeys.SSH_KNOWN_HOSTS.defaultValue().equals(get(HubKeys.SSH_KNOWN_HOSTS)) && knownHosts != null
                && !Files.isReadable(knownHosts)) {
            problem("SSHKnownHosts", "file " + knownHosts + " is not readable (unknown host keys are never accepted)");
        }
        if (key == null || knownHosts == null) {
            problem(key == null ? "SSHKey" : "SSHKnownHosts", "must not be empty");
        }
        Duration cpu = get(HubKeys.BUILD_CPU_TIME);
        if (cpu.toMillis() % 1000 != 0) {
            problem("BuildCPUTime", cpu.toMillis() + " ms is not a whole number of seconds (the kernel counts CPU time in seconds)");
        }
        var limits = new org.fedorabuild.hub.sandbox.SandboxLimits(cpu.toSeconds(), get(HubKeys.BUILD_MEMORY) << 20,
                get(HubKeys.BUILD_DISK) << 20, get(HubKeys.BUILD_PROCESSES).intValue());
        return new BuildSettings(storageRoot, maxSize, maxAge, lookaside, java.util.Set.copyOf(get(HubKeys.SCM_SCHEMES)),
                backend, timeout, key, knownHosts, get(HubKeys.SSH_CONNECT_TIMEOUT), get(HubKeys.DISPATCH_INTERVAL),
                get(HubKeys.HOST_CHECK_INTERVAL), limits);
    }

    /** A path with a leading {@code ~/} meaning the hub user's home. */
    private static Path home(String v) {
        String s = blankToNull(v);
        if (s == null) {
            return null;
        }
        return s.startsWith("~/") ? Path.of(System.getProperty("user.home"), s.substring(2)) : Path.of(s);
    }

    private Path path(ConfigKey<String> key) {
        String v = blankToNull(get(key));
        return v == null ? null : Path.of(v);
    }

    /** A text key read further by {@code parse}; a problem is reported and null returned when it does not fit. */
    private <T> T checked(ConfigKey<String> key, Function<String, T> parse) {
        try {
            return parse.apply(get(key));
        } catch (IllegalArgumentException e) {
            problem(key.name(), e.getMessage());
            return null;
        }
    }

    private void problem(String key, String message) {
        problems.add(origin.getOrDefault(key, "default") + ": " + key + ": " + message);
    }

    private static int range(int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(v + " is out of range " + min + ".." + max);
        }
        return v;
    }

    static HostPort hostPort(String text) {
        String s = text.strip();
        int colon = s.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected HOST:PORT, got '" + text + "'");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected HOST:PORT with a numeric port, got '" + text + "'");
        }
        return new HostPort(host, range(port, 0, 65535));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}

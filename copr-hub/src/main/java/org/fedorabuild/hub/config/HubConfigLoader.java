package org.fedorabuild.hub.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.fedorabuild.compat.profile.ConfigValues;
import org.fedorabuild.compat.profile.IniFile;
import org.fedorabuild.hub.config.HubConfig.HostPort;
import org.fedorabuild.hub.retention.RetentionKeys;
import org.fedorabuild.hub.retention.RetentionSettings;

/**
 * Builds a {@link HubConfig}: defaults, then the {@code [hub]} section of the INI file, then the
 * command-line overrides. Each key is declared once below with its default (as Koji's
 * {@code config_map}); unknown keys and sections are errors, and all problems are reported at once.
 */
public final class HubConfigLoader {
    public static final String SECTION = "hub";

    /** Key (as written in the file) → default; keys are matched case-insensitively like ConfigParser. */
    static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("Listen", "127.0.0.1:8080");
        DEFAULTS.put("DataDir", "./var/copr-hub");
        DEFAULTS.put("DBUrl", "");
        DEFAULTS.put("DBUser", "");
        DEFAULTS.put("DBPass", "");
        DEFAULTS.put("DBPoolSize", "16");
        DEFAULTS.put("PublicURL", "");
        DEFAULTS.put("SessionRenewalTimeout", "1440");
        DEFAULTS.put("DNUsernameComponent", "CN");
        DEFAULTS.put("LoginCreatesUser", "no");
        DEFAULTS.put("BootstrapAdmin", "admin");
        DEFAULTS.put("TLSListen", "");
        DEFAULTS.put("TLSCert", "");
        DEFAULTS.put("TLSKey", "");
        DEFAULTS.put("TLSClientCA", "");
        DEFAULTS.put("MaxRequestLength", "4194304");
        DEFAULTS.put("ServerOffline", "no");
        DEFAULTS.put("OfflineMessage", "server is offline");
        DEFAULTS.put("StorageRoot", "");
        DEFAULTS.put("UploadMaxSize", "2147483648");
        DEFAULTS.put("UploadMaxAge", "24");
        DEFAULTS.put("LookasideURL", "");
        DEFAULTS.put("SCMSchemes", "git git+https git+http");
        DEFAULTS.put("BuildBackend", "auto");
        DEFAULTS.put("BuildTimeout", "86400");
        DEFAULTS.put("SSHKey", "~/.ssh/id_ed25519");
        DEFAULTS.put("SSHKnownHosts", "~/.ssh/known_hosts");
        DEFAULTS.put("SSHConnectTimeout", "15");
        DEFAULTS.put("DispatchInterval", "1");
        DEFAULTS.put("HostCheckInterval", "15");
        DEFAULTS.put("BuildCPUTime", "86400");
        DEFAULTS.put("BuildMemory", "4096");
        DEFAULTS.put("BuildDisk", "20480");
        DEFAULTS.put("BuildProcesses", "1024");
        DEFAULTS.put("ChainCycles", "fail");
        DEFAULTS.put("ChainCycleAttempts", "3");
        DEFAULTS.putAll(Limits.DEFAULTS);
        DEFAULTS.put("MaxBuildsPerOwner", "0");
        DEFAULTS.put("SourceURLAllowPrivate", "no");
        DEFAULTS.put("SourceURLMaxSize", "1073741824");
        DEFAULTS.put("SourceURLTimeout", "600");
        DEFAULTS.put("InstanceId", "");
        DEFAULTS.put("HostLease", "30");
    }

    /** Command-line options that win over the file; null fields are not given. */
    public record Overrides(String listen, Path dataDir, String dbUrl) {
        public static final Overrides NONE = new Overrides(null, null, null);
    }

    private final List<String> problems = new ArrayList<>();
    private IniFile ini;
    private RetentionSettings retention;
    private final Map<String, String> values = new LinkedHashMap<>();
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
        DEFAULTS.forEach((k, v) -> {
            l.values.put(k, v);
            l.origin.put(k, "default");
        });
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
                String key = canonical(e.key());
                if (key == null) {
                    l.problems.add(ini.source() + ":" + e.line() + ": unknown config option: " + e.key());
                } else {
                    l.values.put(key, e.value());
                    l.origin.put(key, ini.source() + ":" + e.line());
                }
            }
        }
        if (overrides.listen() != null) {
            l.set("Listen", overrides.listen(), "--listen");
        }
        if (overrides.dataDir() != null) {
            l.set("DataDir", overrides.dataDir().toString(), "--data");
        }
        if (overrides.dbUrl() != null) {
            l.set("DBUrl", overrides.dbUrl(), "--db-url");
        }
        return l.build();
    }

    private void set(String key, String value, String from) {
        values.put(key, value);
        origin.put(key, from);
    }

    static String canonical(String key) {
        for (String k : DEFAULTS.keySet()) {
            if (k.toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        return null;
    }

    private HubConfig build() {
        HostPort listen = get("Listen", HubConfigLoader::hostPort);
        Path dataDir = get("DataDir", Path::of);
        String dbUrl = blankToNull(values.get("DBUrl"));
        if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:")) {
            problem("DBUrl", "expected a jdbc:postgresql: URL, got '" + dbUrl + "'");
        }
        Integer pool = get("DBPoolSize", s -> range(Integer.parseInt(s.strip()), 1, 1000));
        String publicUrl = blankToNull(values.get("PublicURL"));
        if (publicUrl == null && listen != null) {
            String host = listen.host().equals("0.0.0.0") || listen.host().equals("::") ? "127.0.0.1" : listen.host();
            publicUrl = "http://" + host + ":" + listen.port();
        } else if (publicUrl != null) {
            if (!publicUrl.matches("https?://[^\\s/]+(/\\S*)?")) {
                problem("PublicURL", "expected an http(s) URL, got '" + publicUrl + "'");
            }
            publicUrl = publicUrl.replaceAll("/+$", "").replaceAll("/kojihub$", "");
        }
        Duration renewal = get("SessionRenewalTimeout", s -> Duration.ofMinutes(range(Integer.parseInt(s.strip()), 0, 10_000_000)));
        String dn = values.get("DNUsernameComponent").strip();
        if (!dn.matches("[A-Za-z][A-Za-z0-9.]*")) {
            problem("DNUsernameComponent", "expected a DN attribute type such as CN or UID, got '" + dn + "'");
        }
        Boolean creates = get("LoginCreatesUser", ConfigValues::parseBoolean);
        String admin = blankToNull(values.get("BootstrapAdmin"));
        if (admin != null && !admin.matches(org.fedorabuild.hub.auth.Users.NAME_PATTERN)) {
            problem("BootstrapAdmin", "'" + admin + "' is not a valid user name");
        }
        HostPort tls = blankToNull(values.get("TLSListen")) == null ? null : get("TLSListen", HubConfigLoader::hostPort);
        Path cert = path("TLSCert");
        Path key = path("TLSKey");
        Path ca = path("TLSClientCA");
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
        Long maxLen = get("MaxRequestLength", s -> (long) range(Integer.parseInt(s.strip()), 1024, Integer.MAX_VALUE));
        Boolean offline = get("ServerOffline", ConfigValues::parseBoolean);
        BuildSettings builds = builds(dataDir);
        String cycles = values.get("ChainCycles").strip().toLowerCase(Locale.ROOT);
        if (!cycles.equals("fail") && !cycles.equals("retry")) {
            problem("ChainCycles", "expected fail or retry, got '" + cycles + "'");
        }
        Integer cycleAttempts = get("ChainCycleAttempts", s -> range(Integer.parseInt(s.strip()), 1, 20));
        Limits limits = Limits.parse(values::get, this::problem);
        Integer perOwner = get("MaxBuildsPerOwner", s -> range(Integer.parseInt(s.strip()), 0, 100_000));
        var pools = new org.fedorabuild.hub.pool.PoolsConfig(org.fedorabuild.hub.pool.PoolKeys.load(ini, problems),
                perOwner == null ? 0 : perOwner);
        Boolean allowPrivate = get("SourceURLAllowPrivate", ConfigValues::parseBoolean);
        Long sourceMax = get("SourceURLMaxSize", s -> range(Long.parseLong(s.strip()), 1024, Long.MAX_VALUE));
        Long sourceTimeout = get("SourceURLTimeout", s -> range(Long.parseLong(s.strip()), 1, 86_400));
        var web = org.fedorabuild.hub.account.WebSettings.load(ini, problems);
        org.fedorabuild.hub.cluster.ClusterSettings cluster = cluster(listen, builds);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new HubConfig(listen, dataDir, dbUrl, blankToNull(values.get("DBUser")), values.get("DBPass"), pool,
                publicUrl, renewal, dn, creates, admin, tls, cert, key, ca, maxLen, offline,
                values.get("OfflineMessage"), builds, retention, new org.fedorabuild.hub.chain.ChainSettings(cycles, cycleAttempts), limits,
                pools, web, new org.fedorabuild.hub.source.SourceUrlSettings(allowPrivate, sourceMax, Duration.ofSeconds(sourceTimeout)),
                cluster);
    }

    /** InstanceId (default HOSTNAME:PORT) and HostLease, which must outlast a few dispatch rounds. */
    private org.fedorabuild.hub.cluster.ClusterSettings cluster(HostPort listen, BuildSettings builds) {
        String id = blankToNull(values.get("InstanceId"));
        if (id == null) {
            id = org.fedorabuild.hub.cluster.ClusterSettings.defaultInstanceId(listen == null ? 0 : listen.port());
        } else if (!id.matches(org.fedorabuild.hub.cluster.ClusterSettings.ID_PATTERN)) {
            problem("InstanceId", "expected 1-128 letters, digits and . _ : @ - (starting with a letter or digit), got '" + id + "'");
        }
        Duration lease = get("HostLease", s -> duration(s, Duration.ofMillis(150), Duration.ofHours(1)));
        if (lease != null && builds != null && builds.dispatchInterval() != null
                && lease.compareTo(builds.dispatchInterval().multipliedBy(3)) < 0) {
            problem("HostLease", lease.toMillis() / 1000.0 + " s is shorter than 3 DispatchIntervals ("
                    + builds.dispatchInterval().multipliedBy(3).toMillis() / 1000.0 + " s): the lease is renewed once per round");
        }
        return new org.fedorabuild.hub.cluster.ClusterSettings(id, lease);
    }

    private BuildSettings builds(Path dataDir) {
        String storage = blankToNull(values.get("StorageRoot"));
        Path storageRoot = storage != null ? Path.of(storage) : dataDir == null ? null : dataDir.resolve("results");
        Long maxSize = get("UploadMaxSize", s -> range(Long.parseLong(s.strip()), 1024, Long.MAX_VALUE));
        // [retention] upload_hours is the one source of truth; [hub] UploadMaxAge is its deprecated alias.
        Long legacyAge = "default".equals(origin.get("UploadMaxAge")) ? null
                : get("UploadMaxAge", s -> range(Long.parseLong(s.strip()), 1, 100_000));
        retention = RetentionKeys.load(ini, legacyAge, origin.get("UploadMaxAge"), problems);
        Duration maxAge = retention == null ? null : retention.uploadAge();
        String lookaside = values.get("LookasideURL").strip();
        if (!lookaside.isEmpty() && !lookaside.matches("(https?|file)://\\S+")) {
            problem("LookasideURL", "expected an http(s):// or file:// URL, got '" + lookaside + "'");
        }
        java.util.Set<String> schemes = new java.util.LinkedHashSet<>();
        for (String s : values.get("SCMSchemes").strip().split("[\\s,]+")) {
            if (s.isEmpty()) {
                continue;
            }
            if (!java.util.Set.of("git", "git+https", "git+http", "git+ssh", "git+file").contains(s)) {
                problem("SCMSchemes", "unsupported scheme '" + s + "' (supported: git git+https git+http git+ssh git+file)");
            }
            schemes.add(s);
        }
        String backend = values.get("BuildBackend").strip().toLowerCase(Locale.ROOT);
        if (!java.util.Set.of("auto", "mock", "rpmbuild").contains(backend)) {
            problem("BuildBackend", "expected auto, mock or rpmbuild, got '" + backend + "'");
        }
        Duration timeout = get("BuildTimeout", s -> duration(s, Duration.ofSeconds(10), Duration.ofDays(30)));
        Path key = home(values.get("SSHKey"));
        Path knownHosts = home(values.get("SSHKnownHosts"));
        // The defaults (~/.ssh/…) may be absent on a hub without SSH builders; a path set on purpose must exist.
        if (!DEFAULTS.get("SSHKey").equals(values.get("SSHKey").strip()) && key != null && !Files.isReadable(key)) {
            problem("SSHKey", "file " + key + " is not readable");
        }
        if (!DEFAULTS.get("SSHKnownHosts").equals(values.get("SSHKnownHosts").strip()) && knownHosts != null
                && !Files.isReadable(knownHosts)) {
            problem("SSHKnownHosts", "file " + knownHosts + " is not readable (unknown host keys are never accepted)");
        }
        Duration connect = get("SSHConnectTimeout", s -> duration(s, Duration.ofSeconds(1), Duration.ofHours(1)));
        Duration dispatch = get("DispatchInterval", s -> duration(s, Duration.ofMillis(50), Duration.ofHours(1)));
        Duration check = get("HostCheckInterval", s -> duration(s, Duration.ofMillis(50), Duration.ofHours(1)));
        if (key == null || knownHosts == null) {
            problem(key == null ? "SSHKey" : "SSHKnownHosts", "must not be empty");
        }
        Long cpu = get("BuildCPUTime", s -> range(Long.parseLong(s.strip()), 1, 30L * 86400));
        Long memory = get("BuildMemory", s -> range(Long.parseLong(s.strip()), 16, 1L << 24));
        Long disk = get("BuildDisk", s -> range(Long.parseLong(s.strip()), 1, 1L << 30));
        Long procs = get("BuildProcesses", s -> range(Long.parseLong(s.strip()), 8, 1L << 22));
        org.fedorabuild.hub.sandbox.SandboxLimits limits = cpu == null || memory == null || disk == null || procs == null
                ? org.fedorabuild.hub.sandbox.SandboxLimits.defaults()
                : new org.fedorabuild.hub.sandbox.SandboxLimits(cpu, memory << 20, disk << 20, procs.intValue());
        return new BuildSettings(storageRoot, maxSize == null ? 0 : maxSize, maxAge, lookaside, java.util.Set.copyOf(schemes),
                backend, timeout, key, knownHosts, connect, dispatch, check, limits);
    }

    /**
     * The one duration syntax of both daemons (ConfigValues: {@code 30s}, {@code 15m}, {@code 2h}; a bare number is
     * seconds, as these keys always were), within {@code min..max}.
     */
    private static Duration duration(String s, Duration min, Duration max) {
        Duration d = ConfigValues.parseDuration(s);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException("'" + s.strip() + "' is out of range " + min.toMillis() / 1000.0 + " s .. "
                    + max.toSeconds() + " s");
        }
        return d;
    }

    /** A path with a leading {@code ~/} meaning the hub user's home. */
    private static Path home(String v) {
        String s = blankToNull(v);
        if (s == null) {
            return null;
        }
        return s.startsWith("~/") ? Path.of(System.getProperty("user.home"), s.substring(2)) : Path.of(s);
    }

    private static long range(long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(v + " is out of range " + min + ".." + max);
        }
        return v;
    }

    private Path path(String key) {
        String v = blankToNull(values.get(key));
        return v == null ? null : Path.of(v);
    }

    private <T> T get(String key, Function<String, T> parse) {
        String v = values.get(key);
        try {
            return parse.apply(v);
        } catch (RuntimeException e) {
            String why = e instanceof NumberFormatException ? "'" + v + "' is not an integer" : e.getMessage();
            problem(key, why);
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

package org.fedorabuild.hub.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fedorabuild.compat.profile.ConfigKey;

/**
 * Every key of the {@code [hub]} section, declared once with its type, default, range and meaning, on the typed
 * {@link ConfigKey} mechanism kojira-watchdog uses too (one duration syntax, ConfigParser booleans). Checks that span
 * several keys (TLS needs a CA, HostLease against DispatchInterval, ...) are in {@link HubConfigLoader}.
 */
public final class HubKeys {
    public static final ConfigKey<String> LISTEN = ConfigKey.string("Listen", "127.0.0.1:8080",
            "HOST:PORT of plain HTTP (/kojihub, /api_3, the web pages, /health)");
    public static final ConfigKey<String> DATA_DIR = ConfigKey.string("DataDir", "./var/copr-hub",
            "embedded PostgreSQL, uploads, work area and (by default) results");
    public static final ConfigKey<String> DB_URL = ConfigKey.string("DBUrl", "",
            "jdbc:postgresql: URL of an external database; empty: the embedded one under DataDir/pg");
    public static final ConfigKey<String> DB_USER = ConfigKey.string("DBUser", "", "user of DBUrl");
    public static final ConfigKey<String> DB_PASS = ConfigKey.string("DBPass", "", "password of DBUrl").asSecret();
    public static final ConfigKey<Long> DB_POOL_SIZE = ConfigKey.range("DBPoolSize", 16, 1, 1000,
            "database connections");
    public static final ConfigKey<String> PUBLIC_URL = ConfigKey.string("PublicURL", "",
            "base URL clients use (without /kojihub); empty: http://Listen");
    public static final ConfigKey<Duration> SESSION_RENEWAL = ConfigKey.duration("SessionRenewalTimeout", "1440", "m",
            Duration.ZERO, Duration.ofMinutes(10_000_000), "Koji session lifetime; 0: sessions never expire");
    public static final ConfigKey<String> DN_USERNAME = ConfigKey.string("DNUsernameComponent", "CN",
            "DN attribute of a client certificate that names the user");
    public static final ConfigKey<Boolean> LOGIN_CREATES_USER = ConfigKey.bool("LoginCreatesUser", false,
            "a certificate login of an unknown name creates the user");
    public static final ConfigKey<String> BOOTSTRAP_ADMIN = ConfigKey.string("BootstrapAdmin", "admin",
            "user made admin on first start; empty: none");
    public static final ConfigKey<String> TLS_LISTEN = ConfigKey.string("TLSListen", "", "HOST:PORT of HTTPS; empty: none");
    public static final ConfigKey<String> TLS_CERT = ConfigKey.string("TLSCert", "", "server certificate (PEM)");
    public static final ConfigKey<String> TLS_KEY = ConfigKey.string("TLSKey", "", "server private key (PEM)").asSecret();
    public static final ConfigKey<String> TLS_CLIENT_CA = ConfigKey.string("TLSClientCA", "",
            "CA bundle client certificates must chain to (required with TLSListen)");
    public static final ConfigKey<Long> MAX_REQUEST_LENGTH = ConfigKey.range("MaxRequestLength", 4194304, 1024,
            Integer.MAX_VALUE, "bytes of one XML-RPC request");
    public static final ConfigKey<Boolean> SERVER_OFFLINE = ConfigKey.bool("ServerOffline", false,
            "answer every call with ServerOffline");
    public static final ConfigKey<String> OFFLINE_MESSAGE = new ConfigKey<>("OfflineMessage", s -> s,
            "server is offline", false, "text of the ServerOffline fault");
    public static final ConfigKey<String> STORAGE_ROOT = ConfigKey.string("StorageRoot", "",
            "where results live; empty: DataDir/results");
    public static final ConfigKey<Long> UPLOAD_MAX_SIZE = ConfigKey.range("UploadMaxSize", 2147483648L, 1024,
            Long.MAX_VALUE, "bytes of one uploaded file");
    public static final ConfigKey<Duration> UPLOAD_MAX_AGE = ConfigKey.duration("UploadMaxAge", "24", "h",
            Duration.ofHours(1), Duration.ofHours(100_000),
            "deprecated alias of [retention] upload_hours, whole hours");
    public static final ConfigKey<String> LOOKASIDE_URL = ConfigKey.string("LookasideURL", "",
            "http(s):// or file:// lookaside cache of sources files");
    public static final ConfigKey<List<String>> SCM_SCHEMES = new ConfigKey<>("SCMSchemes", HubKeys::schemes,
            List.of("git", "git+https", "git+http"), false,
            "SCM URL schemes builds may use (git git+https git+http git+ssh git+file)");
    public static final ConfigKey<String> BUILD_BACKEND = ConfigKey.choice("BuildBackend", "auto",
            List.of("auto", "mock", "rpmbuild"), "what builds the RPMs");
    public static final ConfigKey<Duration> BUILD_TIMEOUT = ConfigKey.duration("BuildTimeout", "86400", "s",
            Duration.ofSeconds(10), Duration.ofDays(30), "wall time of one build");
    public static final ConfigKey<String> SSH_KEY = ConfigKey.string("SSHKey", "~/.ssh/id_ed25519",
            "private key for SSH builders").asSecret();
    public static final ConfigKey<String> SSH_KNOWN_HOSTS = ConfigKey.string("SSHKnownHosts", "~/.ssh/known_hosts",
            "known_hosts of SSH builders (unknown host keys are never accepted)");
    public static final ConfigKey<Duration> SSH_CONNECT_TIMEOUT = ConfigKey.duration("SSHConnectTimeout", "15", "s",
            Duration.ofSeconds(1), Duration.ofHours(1), "SSH connection set-up");
    public static final ConfigKey<Duration> DISPATCH_INTERVAL = ConfigKey.duration("DispatchInterval", "1", "s",
            Duration.ofMillis(50), Duration.ofHours(1), "pause between dispatch rounds");
    public static final ConfigKey<Duration> HOST_CHECK_INTERVAL = ConfigKey.duration("HostCheckInterval", "15", "s",
            Duration.ofMillis(50), Duration.ofHours(1), "pause between builder health checks");
    public static final ConfigKey<Duration> BUILD_CPU_TIME = ConfigKey.duration("BuildCPUTime", "86400", "s",
            Duration.ofSeconds(1), Duration.ofDays(30), "CPU time of one build's processes, whole seconds");
    public static final ConfigKey<Long> BUILD_MEMORY = ConfigKey.range("BuildMemory", 4096, 16, 1L << 24,
            "MiB of memory of one build");
    public static final ConfigKey<Long> BUILD_DISK = ConfigKey.range("BuildDisk", 20480, 1, 1L << 30,
            "MiB of disk of one build");
    public static final ConfigKey<Long> BUILD_PROCESSES = ConfigKey.range("BuildProcesses", 1024, 8, 1L << 22,
            "processes of one build");
    public static final ConfigKey<String> CHAIN_CYCLES = ConfigKey.choice("ChainCycles", "fail", List.of("fail", "retry"),
            "what a chain whose packages depend on each other in a cycle does");
    public static final ConfigKey<Long> CHAIN_CYCLE_ATTEMPTS = ConfigKey.range("ChainCycleAttempts", 3, 1, 20,
            "rounds of a cycle with ChainCycles = retry");
    public static final ConfigKey<Long> MAX_BUILDS_PER_OWNER = ConfigKey.range("MaxBuildsPerOwner", 0, 0, 100_000,
            "builds of one owner running at once across pools; 0: no limit");
    public static final ConfigKey<Boolean> SOURCE_URL_ALLOW_PRIVATE = ConfigKey.bool("SourceURLAllowPrivate", false,
            "builds from URLs may fetch from private and loopback addresses");
    public static final ConfigKey<Long> SOURCE_URL_MAX_SIZE = ConfigKey.range("SourceURLMaxSize", 1073741824L, 1024,
            Long.MAX_VALUE, "bytes of a source fetched from a URL");
    public static final ConfigKey<Duration> SOURCE_URL_TIMEOUT = ConfigKey.duration("SourceURLTimeout", "600", "s",
            Duration.ofSeconds(1), Duration.ofDays(1), "whole fetch of a source URL");
    public static final ConfigKey<String> INSTANCE_ID = ConfigKey.string("InstanceId", "",
            "this hub's name among hubs sharing a database; empty: HOSTNAME:PORT");
    public static final ConfigKey<Duration> HOST_LEASE = ConfigKey.duration("HostLease", "30", "s",
            Duration.ofMillis(150), Duration.ofHours(1), "how long a hub holds a builder without renewing");

    /** Lower-case name (ConfigParser matches keys case-insensitively) → key, in declaration order. */
    public static final Map<String, ConfigKey<?>> ALL;

    static {
        Map<String, ConfigKey<?>> m = new LinkedHashMap<>();
        for (ConfigKey<?> k : List.of(LISTEN, DATA_DIR, DB_URL, DB_USER, DB_PASS, DB_POOL_SIZE, PUBLIC_URL,
                SESSION_RENEWAL, DN_USERNAME, LOGIN_CREATES_USER, BOOTSTRAP_ADMIN, TLS_LISTEN, TLS_CERT, TLS_KEY,
                TLS_CLIENT_CA, MAX_REQUEST_LENGTH, SERVER_OFFLINE, OFFLINE_MESSAGE, STORAGE_ROOT, UPLOAD_MAX_SIZE,
                UPLOAD_MAX_AGE, LOOKASIDE_URL, SCM_SCHEMES, BUILD_BACKEND, BUILD_TIMEOUT, SSH_KEY, SSH_KNOWN_HOSTS,
                SSH_CONNECT_TIMEOUT, DISPATCH_INTERVAL, HOST_CHECK_INTERVAL, BUILD_CPU_TIME, BUILD_MEMORY, BUILD_DISK,
                BUILD_PROCESSES, CHAIN_CYCLES, CHAIN_CYCLE_ATTEMPTS)) {
            m.put(k.name().toLowerCase(Locale.ROOT), k);
        }
        Limits.KEYS.forEach(k -> m.put(k.name().toLowerCase(Locale.ROOT), k));
        for (ConfigKey<?> k : List.of(MAX_BUILDS_PER_OWNER, SOURCE_URL_ALLOW_PRIVATE, SOURCE_URL_MAX_SIZE,
                SOURCE_URL_TIMEOUT, INSTANCE_ID, HOST_LEASE)) {
            m.put(k.name().toLowerCase(Locale.ROOT), k);
        }
        ALL = Collections.unmodifiableMap(m);
    }

    private HubKeys() {
    }

    private static List<String> schemes(String text) {
        List<String> out = new java.util.ArrayList<>();
        for (String s : text.strip().split("[\\s,]+")) {
            if (s.isEmpty() || out.contains(s)) {
                continue;
            }
            if (!List.of("git", "git+https", "git+http", "git+ssh", "git+file").contains(s)) {
                throw new IllegalArgumentException("unsupported scheme '" + s
                        + "' (supported: git git+https git+http git+ssh git+file)");
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    static ConfigKey<?> byName(String name) {
        return ALL.get(name.strip().toLowerCase(Locale.ROOT));
    }
}

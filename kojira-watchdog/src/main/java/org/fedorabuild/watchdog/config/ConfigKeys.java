package org.fedorabuild.watchdog.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.profile.ConfigKey;

/** Every key of {@code [kojira-watchdog]}, declared once with its type, default and meaning. */
public final class ConfigKeys {
    private ConfigKeys() {
    }

    public static final String SECTION = "kojira-watchdog";

    // Connection, named as in a koji client profile.
    public static final ConfigKey<String> SERVER = ConfigKey.string("server", null,
            "hub URL, e.g. https://koji.example.org/kojihub (required)");
    public static final ConfigKey<String> AUTHTYPE = ConfigKey.choice("authtype", null, List.of("ssl", "password", "noauth"),
            "ssl | password | noauth; default: ssl when cert is set, password when user is set, else noauth");
    public static final ConfigKey<java.nio.file.Path> CERT = ConfigKey.path("cert", null,
            "PEM file with the client certificate and its PKCS#8 or PKCS#1 key (authtype ssl)");
    public static final ConfigKey<java.nio.file.Path> SERVERCA = ConfigKey.path("serverca", null,
            "PEM bundle of the CAs to trust for the hub (default: the JDK trust store)");
    public static final ConfigKey<String> USER = ConfigKey.string("user", null, "user name (authtype password)");
    public static final ConfigKey<String> PASSWORD = ConfigKey.secret("password", "password (authtype password)");
    public static final ConfigKey<Duration> CONNECT_TIMEOUT = ConfigKey.duration("connect_timeout", "10s",
            "TCP/TLS connect timeout per hub request");
    public static final ConfigKey<Duration> CALL_TIMEOUT = ConfigKey.duration("call_timeout", "30s",
            "time allowed for one hub request (a multicall batch is one request)");
    public static final ConfigKey<Integer> RETRIES = ConfigKey.integer("retries", 1, 0,
            "transport retries per hub request (5 s apart) before the cycle gives up");
    public static final ConfigKey<Duration> CYCLE_TIMEOUT = ConfigKey.duration("cycle_timeout", "100s",
            "hard bound on reading the hub in one cycle; past it the cycle is abandoned and check exits 2");
    public static final ConfigKey<Integer> MULTICALL_BATCH = ConfigKey.integer("multicall_batch", 5000, 1,
            "calls per multiCall request when reading per-host data");

    // Policy.
    public static final ConfigKey<Duration> CHECK_INTERVAL = ConfigKey.duration("check_interval", "60s",
            "time between two cycles of the service");
    public static final ConfigKey<Duration> HOST_GRACE = ConfigKey.duration("host_grace", "900s",
            "a host silent longer than this (hub clock) is stale");
    public static final ConfigKey<Double> MAX_STALE_FRACTION = ConfigKey.fraction("max_stale_fraction", 0.5,
            "guard: when more than this fraction of the enabled hosts is stale, free nothing");
    public static final ConfigKey<Integer> MAX_FREES_PER_CYCLE = ConfigKey.integer("max_frees_per_cycle", 50, 0,
            "at most this many tasks freed or canceled per cycle; the rest wait for the next cycle");
    public static final ConfigKey<Duration> DISABLED_TASK_DEADLINE = ConfigKey.duration("disabled_task_deadline", "4h",
            "tasks still OPEN on a disabled host this long after it was seen disabled (or the task started) are freed; 0 = off");
    public static final ConfigKey<Duration> ASSIGN_TIMEOUT = ConfigKey.duration("assign_timeout", "900s",
            "ASSIGNED tasks not opened this long after they were seen assigned are freed; 0 = off");
    public static final ConfigKey<Duration> HUNG_TASK_TIMEOUT = ConfigKey.duration("hung_task_timeout", "8h",
            "OPEN tasks on a live host with no output growth for this long are hung; 0 = off");
    public static final ConfigKey<String> HUNG_TASK_ACTION = ConfigKey.choice("hung_task_action", "free",
            List.of("free", "cancel"), "what to do with a hung task: free (another builder retries it) or cancel");
    public static final ConfigKey<Duration> OUTAGE_WARMUP = ConfigKey.duration("outage_warmup", "600s",
            "after an observed outage ends, judge no host for this long (hub clock)");
    public static final ConfigKey<Boolean> FENCE = ConfigKey.bool("fence", true,
            "disable a stale host (with a comment) before freeing its tasks");
    public static final ConfigKey<Duration> FENCE_RELEASE = ConfigKey.duration("fence_release", "600s",
            "re-enable a host the watchdog fenced once it has checked in healthily this long; 0 = never");
    public static final ConfigKey<Boolean> DRY_RUN = ConfigKey.bool("dry_run", false,
            "decide and report, change nothing on the hub");

    // Storage and metrics.
    public static final ConfigKey<java.nio.file.Path> DATA_DIR = ConfigKey.path("data_dir", "/var/lib/kojira-watchdog",
            "home of the embedded PostgreSQL used when db_url is absent");
    public static final ConfigKey<String> DB_URL = ConfigKey.string("db_url", null,
            "JDBC URL of an external PostgreSQL (required for two instances)");
    public static final ConfigKey<String> DB_USER = ConfigKey.string("db_user", "kojira_watchdog", "database user (db_url)");
    public static final ConfigKey<String> DB_PASSWORD = ConfigKey.secret("db_password", "database password (db_url)");
    public static final ConfigKey<String> METRICS_LISTEN = ConfigKey.string("metrics_listen", null,
            "HOST:PORT for Prometheus /metrics (absent = no endpoint)");

    // Drain and decommission.
    public static final ConfigKey<Duration> DRAIN_DEADLINE = ConfigKey.duration("drain_deadline", "2h",
            "default time a draining host keeps its tasks before they are freed");
    public static final ConfigKey<String> SSH_USER = ConfigKey.string("ssh_user", "root", "decommission: SSH user");
    public static final ConfigKey<Integer> SSH_PORT = ConfigKey.integer("ssh_port", 22, 1, "decommission: SSH port");
    public static final ConfigKey<java.nio.file.Path> SSH_KEY = ConfigKey.path("ssh_key", null,
            "decommission: private key file (absent = no SSH step)");
    public static final ConfigKey<java.nio.file.Path> SSH_KNOWN_HOSTS = ConfigKey.path("ssh_known_hosts", null,
            "decommission: known_hosts file the builder's host key must match (required with ssh_key)");
    public static final ConfigKey<String> SSH_HOST = ConfigKey.string("ssh_host", "{host}",
            "decommission: address to connect to; {host} is the Koji host name");
    public static final ConfigKey<String> BUILDER_STOP_COMMAND = ConfigKey.string("builder_stop_command",
            "systemctl stop kojid", "decommission: command run over SSH to stop the builder daemon");
    public static final ConfigKey<String> DECOMMISSION_HOOK = ConfigKey.string("decommission_hook", null,
            "decommission: local command run after the SSH step, {host} replaced (e.g. delete the VM)");
    public static final ConfigKey<Duration> DECOMMISSION_TIMEOUT = ConfigKey.duration("decommission_timeout", "120s",
            "decommission: bound on the SSH command and on the hook");
    public static final ConfigKey<Boolean> AUTO_DRAIN = ConfigKey.bool("auto_drain", false,
            "drain hosts the policy flags (repeatedly stale, failing every task) or auto_drain_hosts lists");
    public static final ConfigKey<List<String>> AUTO_DRAIN_HOSTS = ConfigKey.list("auto_drain_hosts",
            "hosts an operator wants drained and decommissioned by the service");
    public static final ConfigKey<Integer> AUTO_DRAIN_STALE_COUNT = ConfigKey.integer("auto_drain_stale_count", 3, 1,
            "flag a host freed for staleness this many times within auto_drain_window");
    public static final ConfigKey<Integer> AUTO_DRAIN_FAIL_COUNT = ConfigKey.integer("auto_drain_fail_count", 5, 1,
            "flag a host whose last tasks within auto_drain_window all failed, at least this many");
    public static final ConfigKey<Duration> AUTO_DRAIN_WINDOW = ConfigKey.duration("auto_drain_window", "24h",
            "look-back window of the auto-drain policy");
    public static final ConfigKey<Integer> MAX_DRAINS_PER_CHANNEL = ConfigKey.integer("max_drains_per_channel", 1, 0,
            "never more than this many hosts of one channel draining at once");

    // The builder command contract shared with copr-hub's pools (POOL, NAME, ARCH, ADDRESS in the environment).
    public static final ConfigKey<String> POOL = ConfigKey.string("pool", "koji",
            "name of this fleet in the builder command contract (POOL in the hooks' environment)");
    public static final ConfigKey<String> SCALE_COMMAND = ConfigKey.string("scale_command", null,
            "scale: command run when tasks of an arch wait that no ready builder can take (a pool's cmd_new: POOL NAME ARCH)");
    public static final ConfigKey<Duration> SCALE_COOLDOWN = ConfigKey.duration("scale_cooldown", "10m",
            "scale: at most one scale_command per arch within this time (new builders need time to check in)");

    /** All keys by name, in documentation order. */
    public static final Map<String, ConfigKey<?>> ALL;

    static {
        Map<String, ConfigKey<?>> all = new LinkedHashMap<>();
        for (ConfigKey<?> k : List.of(SERVER, AUTHTYPE, CERT, SERVERCA, USER, PASSWORD, CONNECT_TIMEOUT, CALL_TIMEOUT,
                RETRIES, CYCLE_TIMEOUT, MULTICALL_BATCH, CHECK_INTERVAL, HOST_GRACE, MAX_STALE_FRACTION,
                MAX_FREES_PER_CYCLE, DISABLED_TASK_DEADLINE, ASSIGN_TIMEOUT, HUNG_TASK_TIMEOUT, HUNG_TASK_ACTION,
                OUTAGE_WARMUP, FENCE, FENCE_RELEASE, DRY_RUN, DATA_DIR, DB_URL, DB_USER, DB_PASSWORD, METRICS_LISTEN,
                DRAIN_DEADLINE, SSH_USER, SSH_PORT, SSH_KEY, SSH_KNOWN_HOSTS, SSH_HOST, BUILDER_STOP_COMMAND,
                DECOMMISSION_HOOK, DECOMMISSION_TIMEOUT, AUTO_DRAIN, AUTO_DRAIN_HOSTS, AUTO_DRAIN_STALE_COUNT,
                AUTO_DRAIN_FAIL_COUNT, AUTO_DRAIN_WINDOW, MAX_DRAINS_PER_CHANNEL, POOL, SCALE_COMMAND, SCALE_COOLDOWN)) {
            if (all.put(k.name(), k) != null) {
                throw new IllegalStateException("config key declared twice: " + k.name());
            }
        }
        ALL = java.util.Collections.unmodifiableMap(all);
    }
}

package org.fedorabuild.watchdog.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.profile.ConfigKey;
import org.fedorabuild.compat.profile.IniFile;
import static org.fedorabuild.watchdog.config.ConfigKeys.*;

/**
 * Reads {@code [kojira-watchdog]} of an INI file (Python ConfigParser syntax, like {@code kojira.conf}) into a
 * {@link WatchdogConfig}. Unknown keys are refused ("unknown config option: X", as kojira says) and every
 * problem of the file is reported in one {@link ConfigException}.
 */
public final class ConfigLoader {
    private final String source;
    private final Map<String, Object> values = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    private ConfigLoader(String source) {
        this.source = source;
    }

    public static WatchdogConfig load(Path file) {
        if (!Files.isReadable(file)) {
            throw new ConfigException(List.of("cannot read config file " + file));
        }
        try {
            return fromIni(IniFile.read(file));
        } catch (IOException e) {
            throw new ConfigException(List.of("cannot read config file " + file + ": " + e.getMessage()));
        }
    }

    public static WatchdogConfig parse(String source, String text) {
        return fromIni(IniFile.parse(source, text));
    }

    public static WatchdogConfig fromIni(IniFile ini) {
        ConfigLoader l = new ConfigLoader(ini.source());
        l.problems.addAll(ini.errors());
        if (!ini.hasSection(SECTION)) {
            l.problems.add(ini.source() + ": no [" + SECTION + "] section");
            throw new ConfigException(l.problems);
        }
        for (IniFile.Entry e : ini.section(SECTION).values()) {
            ConfigKey<?> key = ALL.get(e.key());
            if (key == null) {
                l.problems.add(ini.source() + ":" + e.line() + ": unknown config option: " + e.key());
                continue;
            }
            try {
                l.values.put(key.name(), key.parse(e.value()));
            } catch (IllegalArgumentException ex) {
                l.problems.add(ini.source() + ":" + e.line() + ": " + key.name() + ": " + ex.getMessage());
            }
        }
        WatchdogConfig cfg = l.build();
        if (!l.problems.isEmpty()) {
            throw new ConfigException(l.problems);
        }
        return cfg;
    }

    @SuppressWarnings("unchecked")
    private <T> T get(ConfigKey<T> key) {
        return values.containsKey(key.name()) ? (T) values.get(key.name()) : key.defaultValue();
    }

    private void problem(String text) {
        problems.add(source + ": " + text);
    }

    private WatchdogConfig build() {
        URI server = null;
        String serverText = get(SERVER);
        if (serverText == null || serverText.isBlank()) {
            problem("server: required (the hub URL, e.g. https://koji.example.org/kojihub)");
        } else {
            try {
                server = URI.create(serverText);
                if (server.getScheme() == null || !server.getScheme().matches("https?") || server.getHost() == null) {
                    problem("server: '" + serverText + "' is not an http:// or https:// URL");
                    server = null;
                }
            } catch (IllegalArgumentException e) {
                problem("server: '" + serverText + "' is not a URL");
            }
        }
        String authtype = get(AUTHTYPE);
        if (authtype == null) {
            authtype = get(CERT) != null ? "ssl" : get(USER) != null ? "password" : "noauth";
        }
        switch (authtype) {
            case "ssl" -> {
                if (get(CERT) == null) {
                    problem("cert: required with authtype ssl");
                } else if (!Files.isReadable(get(CERT))) {
                    problem("cert: cannot read " + get(CERT));
                }
                if (server != null && !"https".equals(server.getScheme())) {
                    problem("server: authtype ssl needs an https:// URL, got " + server);
                }
            }
            case "password" -> {
                if (get(USER) == null || get(PASSWORD) == null) {
                    problem("user and password: both required with authtype password");
                }
            }
            default -> { }
        }
        if (get(SERVERCA) != null && !Files.isReadable(get(SERVERCA))) {
            problem("serverca: cannot read " + get(SERVERCA));
        }
        positive(CHECK_INTERVAL);
        positive(HOST_GRACE);
        positive(CALL_TIMEOUT);
        positive(CONNECT_TIMEOUT);
        positive(CYCLE_TIMEOUT);
        if (get(SSH_KEY) != null && get(SSH_KNOWN_HOSTS) == null) {
            problem("ssh_known_hosts: required with ssh_key (host keys are always verified)");
        }
        WatchdogConfig.Hub hub = new WatchdogConfig.Hub(server, authtype, get(CERT), get(SERVERCA), get(USER),
                get(PASSWORD), get(CONNECT_TIMEOUT), get(CALL_TIMEOUT), get(RETRIES), get(CYCLE_TIMEOUT),
                get(MULTICALL_BATCH));
        WatchdogConfig.Policy policy = new WatchdogConfig.Policy(get(CHECK_INTERVAL), get(HOST_GRACE),
                get(MAX_STALE_FRACTION), get(MAX_FREES_PER_CYCLE), get(DISABLED_TASK_DEADLINE), get(ASSIGN_TIMEOUT),
                get(HUNG_TASK_TIMEOUT), get(HUNG_TASK_ACTION), get(OUTAGE_WARMUP), get(FENCE), get(FENCE_RELEASE),
                get(DRY_RUN));
        WatchdogConfig.Storage storage = new WatchdogConfig.Storage(get(DATA_DIR), get(DB_URL), get(DB_USER),
                get(DB_PASSWORD));
        WatchdogConfig.Drain drain = new WatchdogConfig.Drain(get(DRAIN_DEADLINE), get(SSH_USER), get(SSH_PORT),
                get(SSH_KEY), get(SSH_KNOWN_HOSTS), get(SSH_HOST), get(BUILDER_STOP_COMMAND), get(DECOMMISSION_HOOK),
                get(DECOMMISSION_TIMEOUT), get(AUTO_DRAIN), get(AUTO_DRAIN_HOSTS), get(AUTO_DRAIN_STALE_COUNT),
                get(AUTO_DRAIN_FAIL_COUNT), get(AUTO_DRAIN_WINDOW), get(MAX_DRAINS_PER_CHANNEL), get(POOL), get(SCALE_COMMAND),
                get(SCALE_COOLDOWN));
        String metrics = get(METRICS_LISTEN);
        if (metrics != null && !metrics.matches("[^:\\s]*:\\d{1,5}")) {
            problem("metrics_listen: '" + metrics + "' is not HOST:PORT (e.g. 127.0.0.1:9464 or :9464)");
        }
        return new WatchdogConfig(hub, policy, storage, drain, metrics);
    }

    private void positive(ConfigKey<Duration> key) {
        Duration d = get(key);
        if (d != null && (d.isZero() || d.isNegative())) {
            problem(key.name() + ": must be greater than 0, got " + d.toSeconds() + " s");
        }
    }
}

package org.fedorabuild.watchdog.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The watchdog's whole configuration, validated and immutable. Built only by {@link ConfigLoader}, which
 * declares each key once ({@link ConfigKeys}) and reports every problem at once. {@link #toString()} masks
 * the secrets, so the object can be logged or printed ({@code --show-config}).
 */
public record WatchdogConfig(Hub hub, Policy policy, Storage storage, Drain drain, String metricsListen) {

    /** How to reach the hub, named as in a koji client profile. */
    public record Hub(URI server, String authtype, Path cert, Path serverca, String user, String password,
            Duration connectTimeout, Duration callTimeout, int retries, Duration cycleTimeout, int multicallBatch) {
        @Override
        public String toString() {
            return "Hub[server=" + server + ", authtype=" + authtype + ", cert=" + cert + ", serverca=" + serverca
                    + ", user=" + user + ", password=" + mask(password) + ", connectTimeout=" + connectTimeout
                    + ", callTimeout=" + callTimeout + ", retries=" + retries + ", cycleTimeout=" + cycleTimeout
                    + ", multicallBatch=" + multicallBatch + "]";
        }
    }

    /** The thresholds of the rules and guards. A zero duration switches its rule off. */
    public record Policy(Duration checkInterval, Duration hostGrace, double maxStaleFraction, int maxFreesPerCycle,
            Duration disabledTaskDeadline, Duration assignTimeout, Duration hungTaskTimeout, String hungTaskAction,
            Duration outageWarmup, boolean fence, Duration fenceRelease, boolean dryRun) {
        public Policy withDryRun(boolean dry) {
            return new Policy(checkInterval, hostGrace, maxStaleFraction, maxFreesPerCycle, disabledTaskDeadline,
                    assignTimeout, hungTaskTimeout, hungTaskAction, outageWarmup, fence, fenceRelease, dry);
        }
    }

    public record Storage(Path dataDir, String dbUrl, String dbUser, String dbPassword) {
        @Override
        public String toString() {
            return "Storage[dataDir=" + dataDir + ", dbUrl=" + dbUrl + ", dbUser=" + dbUser + ", dbPassword="
                    + mask(dbPassword) + "]";
        }
    }

    public record Drain(Duration defaultDeadline, String sshUser, int sshPort, Path sshKey, Path sshKnownHosts,
            String sshHost, String builderStopCommand, String decommissionHook, Duration decommissionTimeout,
            boolean auto, List<String> autoHosts, int autoStaleCount, int autoFailCount, Duration autoWindow,
            int maxDrainsPerChannel, String pool, String scaleCommand, Duration scaleCooldown) {
    }

    public WatchdogConfig withDryRun(boolean dry) {
        return new WatchdogConfig(hub, policy.withDryRun(dry), storage, drain, metricsListen);
    }

    static String mask(String secret) {
        return secret == null ? null : "********";
    }
}

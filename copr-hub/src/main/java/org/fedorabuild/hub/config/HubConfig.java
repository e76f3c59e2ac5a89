package org.fedorabuild.hub.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedorabuild.compat.profile.ConfigValues;

/**
 * The validated, immutable configuration of one copr-hub: built by {@link HubConfigLoader} from the
 * {@code [hub]} section of an INI file (Koji hub.conf style) and the command-line overrides.
 *
 * @param listen              plain HTTP address of {@code /kojihub} and {@code /health}
 * @param dataDir             where the embedded PostgreSQL and (later) uploads and results live
 * @param dbUrl               external PostgreSQL JDBC URL; null means the embedded default
 * @param sessionRenewal      Koji's SessionRenewalTimeout; zero means sessions never expire
 * @param tlsListen           HTTPS address (client certificates wanted, not needed); null: no TLS
 * @param publicUrl           the base URL clients use (printed in profiles), without {@code /kojihub}
 * @param bootstrapAdmin      user created with the admin permission on first start; null: none
 * @param retention           the {@code [retention]} section: what prune keeps, its schedule, idle builders
 * @param limits              work per request, per client address and per user
 * @param pools               the {@code [pool NAME]} sections and {@code MaxBuildsPerOwner}
 */
public record HubConfig(
        HostPort listen,
        Path dataDir,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        String publicUrl,
        Duration sessionRenewal,
        String dnUsernameComponent,
        boolean loginCreatesUser,
        String bootstrapAdmin,
        HostPort tlsListen,
        Path tlsCert,
        Path tlsKey,
        Path tlsClientCa,
        long maxRequestLength,
        boolean serverOffline,
        String offlineMessage,
        BuildSettings builds,
        org.fedorabuild.hub.retention.RetentionSettings retention,
        org.fedorabuild.hub.chain.ChainSettings chains,
        Limits limits,
        org.fedorabuild.hub.pool.PoolsConfig pools,
        org.fedorabuild.hub.account.WebSettings web,
        org.fedorabuild.hub.source.SourceUrlSettings sourceUrls,

        org.fedorabuild.hub.cluster.ClusterSettings cluster) {

    /** The version copr-hub advertises: 1.34 keeps wait-repo and regen-repo on Koji's legacy calls. */
    public static final String KOJI_VERSION = "1.34.3";

    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    public boolean embeddedDatabase() {
        return dbUrl == null;
    }

    public Path workDir() {
        return BuildSettings.workDir(dataDir);
    }

    public Path pgDir() {
        return dataDir.resolve("pg");
    }

    public String hubUrl() {
        return publicUrl + "/kojihub";
    }

    /** Every setting by its INI key, with secrets masked: for logs and {@code --show-config}. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Listen", listen.toString());
        m.put("DataDir", dataDir.toString());
        m.put("DBUrl", dbUrl == null ? "(embedded PostgreSQL under DataDir/pg)" : dbUrl);
        m.put("DBUser", dbUser == null ? "" : dbUser);
        m.put("DBPass", dbPassword == null || dbPassword.isEmpty() ? "" : "****");
        m.put("DBPoolSize", String.valueOf(dbPoolSize));
        m.put("PublicURL", publicUrl);
        m.put("SessionRenewalTimeout", ConfigValues.formatDuration(sessionRenewal, "m"));
        m.put("DNUsernameComponent", dnUsernameComponent);
        m.put("LoginCreatesUser", String.valueOf(loginCreatesUser));
        m.put("BootstrapAdmin", bootstrapAdmin == null ? "" : bootstrapAdmin);
        m.put("TLSListen", tlsListen == null ? "" : tlsListen.toString());
        m.put("TLSCert", tlsCert == null ? "" : tlsCert.toString());
        m.put("TLSKey", tlsKey == null ? "" : "**** (" + tlsKey + ")");
        m.put("TLSClientCA", tlsClientCa == null ? "" : tlsClientCa.toString());
        m.put("MaxRequestLength", String.valueOf(maxRequestLength));
        m.put("ServerOffline", String.valueOf(serverOffline));
        m.put("OfflineMessage", offlineMessage);
        m.put("StorageRoot", builds.storageRoot().toString());
        m.put("UploadMaxSize", String.valueOf(builds.uploadMaxSize()));
        m.put("UploadMaxAge", ConfigValues.formatDuration(builds.uploadMaxAge(), "h"));
        m.put("LookasideURL", builds.lookasideUrl());
        m.put("SCMSchemes", String.join(" ", new java.util.TreeSet<>(builds.scmSchemes())));
        m.put("BuildBackend", builds.buildBackend());
        m.put("BuildTimeout", ConfigValues.formatDuration(builds.buildTimeout(), "s"));
        m.put("SSHKey", "**** (" + builds.sshKey() + ")");
        m.put("SSHKnownHosts", builds.sshKnownHosts().toString());
        m.put("SSHConnectTimeout", ConfigValues.formatDuration(builds.sshConnectTimeout(), "s"));
        m.put("DispatchInterval", String.valueOf(builds.dispatchInterval().toMillis() / 1000.0));
        m.put("HostCheckInterval", String.valueOf(builds.hostCheckInterval().toMillis() / 1000.0));
        m.put("BuildCPUTime", String.valueOf(builds.sandboxLimits().cpuSeconds()));
        m.put("BuildMemory", String.valueOf(builds.sandboxLimits().memoryBytes() >> 20));
        m.put("BuildDisk", String.valueOf(builds.sandboxLimits().diskBytes() >> 20));
        m.put("BuildProcesses", String.valueOf(builds.sandboxLimits().processes()));
        m.put("ChainCycles", chains.cycles());
        m.put("ChainCycleAttempts", String.valueOf(chains.cycleAttempts()));
        limits.describe(m);
        m.put("MaxBuildsPerOwner", String.valueOf(pools.maxBuildsPerOwner()));
        pools.pools().forEach(p -> m.put("[pool " + p.name() + "]", p.toString()));
        m.put("SourceURLAllowPrivate", String.valueOf(sourceUrls.allowPrivate()));
        m.put("SourceURLMaxSize", String.valueOf(sourceUrls.maxSize()));
        m.put("SourceURLTimeout", ConfigValues.formatDuration(sourceUrls.timeout(), "s"));
        m.put("[web] Signup", web.signupOpen() ? "open" : "closed");
        m.put("[web] SessionHours", ConfigValues.formatDuration(web.sessionLifetime(), "h"));
        m.put("InstanceId", cluster.instanceId());
        m.put("HostLease", String.valueOf(cluster.lease().toMillis() / 1000.0));
        // a key declared secret is never shown, whatever the line above it printed
        HubKeys.ALL.values().stream().filter(k -> k.secret()).forEach(k -> m.computeIfPresent(k.name(),
                (name, v) -> v.isEmpty() || v.startsWith("****") ? v : "****"));
        return m;
    }

    @Override
    public String toString() {
        return "HubConfig" + describe();
    }
}

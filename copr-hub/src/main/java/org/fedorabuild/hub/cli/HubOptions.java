package org.fedorabuild.hub.cli;

import java.nio.file.Path;
import org.fedorabuild.hub.config.HubConfig;
import org.fedorabuild.hub.config.HubConfigLoader;
import picocli.CommandLine.Option;

/** The options every command shares, so admin commands reach the database {@code serve} uses. */
public final class HubOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "INI config (see etc/copr-hub/copr-hub.conf); default: none, built-in defaults")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory (embedded PostgreSQL under DIR/pg); default ./var/copr-hub")
    Path data;

    @Option(names = "--db-url", paramLabel = "JDBC_URL", description = "external PostgreSQL instead of the embedded one")
    String dbUrl;

    HubConfig load(String listen) {
        return HubConfigLoader.load(config, new HubConfigLoader.Overrides(listen, data, dbUrl));
    }
}

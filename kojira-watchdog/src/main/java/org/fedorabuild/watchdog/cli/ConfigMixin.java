package org.fedorabuild.watchdog.cli;

import java.nio.file.Path;
import org.fedorabuild.watchdog.config.ConfigLoader;
import org.fedorabuild.watchdog.config.WatchdogConfig;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by every subcommand. */
public final class ConfigMixin {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "INI file with a [kojira-watchdog] section (see etc/kojira-watchdog/kojira-watchdog.conf)")
    Path config;

    @Option(names = "--show-config", description = "print the effective configuration (secrets masked) and go on")
    boolean showConfig;

    WatchdogConfig load() {
        WatchdogConfig cfg = ConfigLoader.load(config);
        if (showConfig) {
            System.out.println(cfg);
        }
        return cfg;
    }
}

package org.fedorabuild.hub.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints a koji client profile and the fedpkg/rpkg settings for a user of this hub. */
@Command(name = "profile", description = "Print a koji profile (for ~/.koji/config.d/) and fedpkg settings for this hub.")
final class ProfileCommand implements Callable<Integer> {
    @Mixin
    HubOptions options;

    @Option(names = "--user", required = true, paramLabel = "NAME", description = "the user the profile logs in as")
    String user;

    @Option(names = "--name", paramLabel = "PROFILE", defaultValue = "copr-hub", description = "profile name (default: ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "file holding an API token of the user, put into the copr-cli config (default $COPR_HUB_TOKEN)")
    java.nio.file.Path tokenFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws java.io.IOException {
        try (AdminSession s = new AdminSession(options)) {
            if (s.tx(() -> s.services.users.byName(user)).isEmpty()) {
                spec.commandLine().getErr().println("copr-hub profile: no such user: " + user
                        + " (create it with: copr-hub user add " + user + ")");
                return 1;
            }
            var out = spec.commandLine().getOut();
            out.println("# koji: save as ~/.koji/config.d/" + name + ".conf, then: koji -p " + name + " hello");
            out.print(ProfileText.koji(s.config, name, user));
            out.println();
            out.println("# fedpkg/rpkg: put in ~/.config/rpkg/fedpkg.conf (or /etc/rpkg/fedpkg.conf) beside your dist-git settings");
            out.print(ProfileText.fedpkg(name));
            out.println();
            // the token goes only to stdout, the file the user saves, never to a log
            String token = tokenFile != null ? java.nio.file.Files.readString(tokenFile).strip() : System.getenv("COPR_HUB_TOKEN");
            out.println("# copr-cli: save as ~/.config/copr (chmod 600), then: copr-cli list");
            out.print(ProfileText.coprCli(s.config, user, token == null || token.isEmpty() ? null : token));
            out.flush();
            return 0;
        }
    }
}

package org.fedorabuild.hub.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fedorabuild.compat.client.ClientSettings;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.client.KojiConnectionException;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.upload.FastUpload;
import org.fedorabuild.hub.chain.ChainSimulation;
import org.fedorabuild.hub.chain.ChainStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code copr-hub chain OWNER/PROJECT[/CHROOT] SRC…}: an unordered chain build through the running hub, as
 * the user whose API token is given (a real user's identity and permissions, not the database's). Local
 * SRPM files are uploaded with koji's fast upload; other sources (SCM URLs, NVRs) are passed as they are.
 * The hub works out the order. {@code chain status ID}, {@code chain bench}.
 */
@Command(name = "chain", description = "Build many sources in dependency order (copr-hub's coprChainBuild).",
        subcommands = {ChainCommand.Status.class, ChainCommand.Bench.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:submitted (with --wait: every package built)", "1:the call failed or (--wait) a package was not built",
            "2:bad usage"})
final class ChainCommand implements Callable<Integer> {
    /** How long {@code --wait} keeps waiting through an outage of the hub or its database. */
    static final Duration WAIT_THROUGH_OUTAGE = Duration.ofHours(1);
    /** How the CLI reaches the hub and who it is. */
    static final class Remote {
        @Mixin
        HubOptions options;

        @Option(names = "--hub", paramLabel = "URL", description = "hub URL (default: PublicURL of --config + /kojihub)")
        String hub;

        @Option(names = "--user", paramLabel = "NAME", description = "who submits (default $COPR_HUB_USER, else your login name)")
        String user;

        @Option(names = "--token-file", paramLabel = "FILE", description = "file holding the API token (default $COPR_HUB_TOKEN)")
        Path tokenFile;

        KojiClient client() {
            String url = hub != null ? hub : options.load(null).hubUrl();
            // As koji's offline_retry and anon_retry: a hub restarting or without its database is asked again.
            return new KojiClient(ClientSettings.defaults(URI.create(url)).withOfflineRetry(true)
                    .withRetries(30, Duration.ofSeconds(10), true));
        }

        KojiClient login(CommandSpec spec) throws IOException {
            String name = user != null ? user : System.getenv().getOrDefault("COPR_HUB_USER", System.getProperty("user.name"));
            String token = tokenFile != null ? Files.readString(tokenFile).strip() : System.getenv("COPR_HUB_TOKEN");
            if (token == null || token.isBlank()) {
                throw new ParameterException(spec.commandLine(), "no API token: set COPR_HUB_TOKEN or give --token-file"
                        + " (copr-hub token new USER makes one)");
            }
            KojiClient k = client();
            k.login(name, token);
            return k;
        }
    }

    @Mixin
    Remote remote;

    @Parameters(paramLabel = "OWNER/PROJECT[/CHROOT]", arity = "0..1", index = "0", description = "target")
    String target;

    @Parameters(paramLabel = "SRC", arity = "0..*", index = "1..*",
            description = "local SRPM files, SCM URLs (git+https://…#COMMIT) or NVRs built in the project")
    List<String> sources = new ArrayList<>();

    /** What koji's CLI sends for {@code --background}. */
    static final int BACKGROUND_PRIORITY = 5;

    @Option(names = "--wait", description = "block until the chain ends; exit 1 unless every package built")
    boolean wait;

    @Option(names = "--extra-repo", paramLabel = "URL", arity = "1..*", description = "extra repositories for every build")
    List<String> extraRepos = new ArrayList<>();

    @Option(names = "--cycles", paramLabel = "fail|retry", description = "dependency cycles: fail them, or bounded retry (default: hub's ChainCycles)")
    String cycles;

    @Option(names = "--cycle-attempts", paramLabel = "N", description = "most attempts per cycle member with retry")
    Integer cycleAttempts;

    @Option(names = "--background", description = "run at background priority (Koji's priority + 5, as koji build --background):"
            + " every normal-priority build goes first")
    boolean background;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (target == null || sources.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "usage: copr-hub chain OWNER/PROJECT SRC… (or chain status ID)");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (KojiClient k = remote.login(spec)) {
            List<Object> srcs = new ArrayList<>();
            for (String s : sources) {
                Path p = Path.of(s);
                if (s.endsWith(".src.rpm") && Files.isRegularFile(p)) {
                    srcs.add(FastUpload.upload(k, p, FastUpload.uniqueDir("cli-build"), p.getFileName().toString(),
                            FastUpload.DEFAULT_BLOCK_SIZE).serverPath());
                } else {
                    srcs.add(s);
                }
            }
            Map<String, Object> opts = new LinkedHashMap<>();
            if (!extraRepos.isEmpty()) {
                opts.put("extra_repos", extraRepos.stream().flatMap(r -> Arrays.stream(r.split("[,\\s]+"))).toList());
            }
            if (cycles != null) {
                opts.put("cycles", cycles);
            }
            if (cycleAttempts != null) {
                opts.put("cycle_attempts", cycleAttempts);
            }
            int chain = ((Number) (background ? k.call("coprChainBuild", srcs, target, opts, BACKGROUND_PRIORITY)
                    : k.call("coprChainBuild", srcs, target, opts))).intValue();
            out.println("Created chain " + chain + " (task " + chain + "): " + srcs.size() + " source(s) into " + target);
            out.println("Progress: copr-hub chain status " + chain + "  (or koji watch-task " + chain + ")");
            out.flush();
            if (!wait) {
                return 0;
            }
            String last = "";
            long outageSince = 0;
            while (true) {
                Map<?, ?> s;
                try {
                    s = (Map<?, ?>) k.call("coprChainStatus", chain);
                    if (outageSince != 0) {
                        out.println("hub answers again");
                        outageSince = 0;
                    }
                } catch (KojiConnectionException | KojiFault.ServerOffline e) {
                    // The client has already retried for minutes; a longer outage is still no reason to give up on
                    // a chain that keeps building once the hub is back.
                    if (outageSince == 0) {
                        outageSince = System.nanoTime();
                        out.println("hub unreachable (" + e.getMessage() + "); still waiting for chain " + chain);
                        out.flush();
                    } else if (System.nanoTime() - outageSince > WAIT_THROUGH_OUTAGE.toNanos()) {
                        throw e;
                    }
                    Thread.sleep(5000);
                    continue;
                }
                String line = s.get("state") + " " + s.get("counts");
                if (!line.equals(last)) {
                    out.println(line);
                    out.flush();
                    last = line;
                }
                String state = (String) s.get("state");
                if (!state.equals("PLANNING") && !state.equals("BUILDING")) {
                    out.print(ChainStatus.text(s));
                    out.flush();
                    return state.equals("DONE") ? 0 : 1;
                }
                Thread.sleep(2000);
            }
        }
    }

    @Command(name = "status", description = "A chain's progress: counts by state, running builds, failures with reasons.")
    static final class Status implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "ID", description = "the chain id (its task id)")
        int id;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (KojiClient k = remote.client()) {
                spec.commandLine().getOut().print(ChainStatus.text((Map<?, ?>) k.call("coprChainStatus", id)));
                return 0;
            }
        }
    }

    @Command(name = "bench", description = "Chain scheduling benchmark on a synthetic distribution with simulated builders:"
            + " dependency order (copr-hub) against a mockchain-style retry loop.")
    static final class Bench implements Callable<Integer> {
        @Option(names = "--packages", defaultValue = "2500", description = "packages in the synthetic graph (default ${DEFAULT-VALUE})")
        int packages;

        @Option(names = "--builders", defaultValue = "8,32,128", split = ",", description = "builder counts (default ${DEFAULT-VALUE})")
        int[] builders;

        @Option(names = "--seed", defaultValue = "42", description = "graph and shuffle seed (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--estimates", defaultValue = "exact", paramLabel = "exact|noisy|previous|none",
                converter = EstimatesConverter.class, description = "what the hub knows of build times in advance: the true ones,"
                + " off by up to 30 %, a previous version's (log-normal error, a fifth unknown) or none (default ${DEFAULT-VALUE})")
        ChainSimulation.Estimates estimates;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            long t0 = System.nanoTime();
            out.printf("%-22s %8s %18s %12s %12s %16s %8s%n", "strategy", "builders", "attempts/package", "makespan h",
                    "bound h", "makespan/bound", "unbuilt");
            for (ChainSimulation.Result r : ChainSimulation.run(packages, builders, seed, estimates)) {
                out.printf("%-22s %8d %18.2f %12.1f %12.1f %16.3f %8d%n", r.strategy(), r.builders(), r.attemptsPerPackage(),
                        r.makespan() / 3600, r.lowerBound() / 3600, r.ratio(), r.unbuilt());
                out.flush();
            }
            out.printf("(%d packages, seed %d, estimates %s, %.1f s)%n", packages, seed, estimates.name().toLowerCase(),
                    (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }

    /** {@code --estimates} in lower case, as the help shows it. */
    static final class EstimatesConverter implements picocli.CommandLine.ITypeConverter<ChainSimulation.Estimates> {
        @Override
        public ChainSimulation.Estimates convert(String value) {
            try {
                return ChainSimulation.Estimates.valueOf(value.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not one of exact, noisy, previous, none");
            }
        }
    }
}

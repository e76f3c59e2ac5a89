package org.fedorabuild.hub.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.upload.FastUpload;
import org.fedorabuild.hub.testing.BuildHub;
import org.fedorabuild.hub.testing.LoopbackSshd;
import org.fedorabuild.hub.testing.TinyPackages;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build figures (not part of {@code verify}; run {@code ./mvnw -pl copr-hub test -Dtest=BuildBench}):
 * upload MB/s against one raw HTTP POST of the same file to the same server (each followed by checkUpload,
 * as the CLI does, which is where the hub syncs the file); seconds from the end of a
 * build to its repository being published; builds per minute with 4 loopback SSH builders.
 * Sizes: {@code -Dbench.uploadMiB=256 -Dbench.uploadRounds=5 -Dbench.builds=40}; {@code -Dbench.uploadBlockMiB=1} is the
 * fast upload's chunk (koji's default; the profile `copr-hub profile` prints asks for 16).
 */
class BuildBench {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    Path tmp;

    @Test
    void figures() throws Exception {
        int mib = Integer.getInteger("bench.uploadMiB", 256);
        int builds = Integer.getInteger("bench.builds", 40);
        int rounds = Integer.getInteger("bench.uploadRounds", 5);
        // koji's default chunk is 1 MiB; `copr-hub profile` prints upload_blocksize = 16 MiB
        int blockMiB = Integer.getInteger("bench.uploadBlockMiB", 1);
        String chroot = "fedora-40-" + BuildHub.arch();
        List<String> report = new ArrayList<>();
        try (LoopbackSshd sshd = LoopbackSshd.start(tmp.resolve("sshd"));
                BuildHub hub = BuildHub.start(PG.dataSource(), tmp.resolve("data"), "UploadMaxSize = " + (2L * mib << 20)
                        + "\nSSHKey = " + sshd.clientKey() + "\nSSHKnownHosts = " + sshd.knownHosts()
                        + "\nBuildBackend = rpmbuild\n", 0)) {
            String token = hub.user("bench", true);
            hub.project("bench/p", chroot);
            try (KojiClient k = hub.login("bench", token)) {
                // 1. upload throughput
                Path file = tmp.resolve("upload.bin");
                byte[] block = new byte[1 << 20];
                new Random(1).nextBytes(block);
                try (var out = Files.newOutputStream(file)) {
                    for (int i = 0; i < mib; i++) {
                        out.write(block);
                    }
                }
                FastUpload.upload(k, file, "cli-build/warm", "warm.bin", FastUpload.DEFAULT_BLOCK_SIZE);
                byte[] all = Files.readAllBytes(file);
                // Rounds alternate the two ways, so that load from outside the benchmark falls on both alike.
                List<Double> fasts = new ArrayList<>();
                List<Double> raws = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    long t0 = System.nanoTime();
                    FastUpload.Result done = FastUpload.upload(k, file, FastUpload.uniqueDir("cli-build"), "upload.bin",
                            blockMiB << 20);
                    fasts.add(mib / ((System.nanoTime() - t0) / 1e9));
                    Map<String, String> q = new LinkedHashMap<>();
                    q.put("filename", "raw.bin");
                    q.put("filepath", "cli-build/raw" + round);
                    q.put("offset", "0");
                    q.put("overwrite", "1");
                    long t1 = System.nanoTime();
                    k.postRaw(q, all);
                    // as the CLI follows a raw upload (scratch-build --srpm): this is where the hub makes it durable
                    k.call("checkUpload", "cli-build/raw" + round, "raw.bin");
                    raws.add(mib / ((System.nanoTime() - t1) / 1e9));
                    report.add(String.format("upload %d MiB, round %d: koji fast upload (%d MiB chunks + checkUpload) %.0f MB/s;"
                            + " one raw POST + checkUpload %.0f MB/s (%.0f%%)", mib, round + 1, blockMiB, fasts.get(round), raws.get(round),
                            100 * fasts.get(round) / raws.get(round)));
                    Path area = hub.hub.services.uploads.userRoot("bench");
                    deleteTree(area.resolve(done.serverDir()));
                    deleteTree(area.resolve("cli-build/raw" + round));
                }
                double fast = median(fasts);
                double raw = median(raws);
                report.add(0, String.format("upload %d MiB: koji fast upload (%d MiB chunks + checkUpload) %.0f MB/s; one raw POST"
                        + " + checkUpload %.0f MB/s (%.0f%%), medians of %d alternating rounds", mib, blockMiB, fast, raw,
                        100 * fast / raw, rounds));
                Files.write(Path.of("target/bench-builds.txt"), report); // kept should the builds below fail

                // 2 and 3: 4 loopback SSH builders (capacity 1 each)
                hub.hub.services.db.tx(() -> {
                    for (int i = 1; i <= 4; i++) {
                        hub.hub.services.hosts.add("loop" + i, List.of(BuildHub.arch()), 1.0, sshd.user() + "@127.0.0.1:" + sshd.port());
                    }
                    return null;
                });
                Thread.sleep(3000);
                List<Path> srpms = new ArrayList<>();
                for (int i = 0; i < builds; i++) {
                    srpms.add(TinyPackages.srpm(tmp, "bench" + i, "1.0", 0));
                }
                long start = System.nanoTime();
                List<Integer> tasks = new ArrayList<>();
                for (Path s : srpms) {
                    tasks.add(hub.build(k, s, "bench/p", Map.of()));
                }
                for (int t : tasks) {
                    hub.await(k, t, Duration.ofMinutes(10));
                }
                double minutes = (System.nanoTime() - start) / 60e9;
                hub.awaitInRepo("bench/p", chroot, "bench" + (builds - 1) + "-1.0-1.fc40.noarch");
                Thread.sleep(2000);
                List<Double> lags = new ArrayList<>();
                for (var r : hub.hub.services.db.query("SELECT extract(epoch FROM br.published_time - t.completion_time)::float8 AS lag"
                        + " FROM build_results br JOIN tasks t ON t.id = br.task_id")) {
                    if (r.get("lag") != null) {
                        lags.add((Double) r.get("lag"));
                    }
                }
                lags.sort(null);
                report.add(String.format("build end -> repo published: median %.2f s, max %.2f s over %d builds (createrepo_c --update,"
                        + " coalesced)", lags.get(lags.size() / 2), lags.get(lags.size() - 1), lags.size()));
                report.add(String.format("throughput: %d tiny noarch builds on 4 loopback SSH builders in %.1f s = %.1f builds/min",
                        builds, minutes * 60, builds / minutes));
            }
        }
        report.forEach(System.out::println);
        Files.write(Path.of("target/bench-builds.txt"), report);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** A round's uploads, so that the user's upload area stays under UserUploadBytes over many rounds. */
    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

package org.fedorabuild.hub.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import org.fedorabuild.hub.testing.TestHub;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The page benchmark (not part of {@code verify}):
 * {@code ./mvnw -B -pl copr-hub -am test -Dtest=WebBench -Dsurefire.failIfNoSpecifiedTests=false}
 * (sizes: {@code -Dbench.builds=100000 -Dbench.tasks=1000000 -Dbench.seconds=10}). Seeds a private database
 * ({@link WebSeed}), starts the hub with a 16-connection pool and measures the project page, the builds list
 * (first page and a page deep in the history) and random build pages over real HTTP at 1 and 16 clients:
 * p50, p99 and requests per second, printed and written to target/web-bench.txt.
 */
class WebBench {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");

    @Test
    void figures() throws Exception {
        int builds = Integer.getInteger("bench.builds", 100_000);
        int tasks = Integer.getInteger("bench.tasks", 1_000_000);
        int seconds = Integer.getInteger("bench.seconds", 10);
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(PG.jdbcUrl());
        hc.setUsername(PG.user());
        hc.setPassword(PG.password());
        hc.setMaximumPoolSize(16);
        List<String> report = new ArrayList<>();
        try (HikariDataSource ds = new HikariDataSource(hc); TestHub hub = TestHub.start(ds)) {
            long t0 = System.nanoTime();
            WebSeed.seed(hub.services, builds, tasks);
            report.add(String.format("seeded %d Copr builds, %s tasks, %s Koji builds in %.0f s", builds,
                    hub.services.db.scalar("SELECT count(*) FROM tasks").orElseThrow(),
                    hub.services.db.scalar("SELECT count(*) FROM builds").orElseThrow(), (System.nanoTime() - t0) / 1e9));
            String base = "http://127.0.0.1:" + hub.server.port();
            List<Object[]> pages = List.of(
                    new Object[] {"project page", (IntFunction<String>) i -> "/coprs/alice/big/"},
                    new Object[] {"builds list, page 1", (IntFunction<String>) i -> "/coprs/alice/big/builds/"},
                    new Object[] {"builds list, page 100", (IntFunction<String>) i -> "/coprs/alice/big/builds/?page=100"},
                    new Object[] {"build page (random)", (IntFunction<String>) i -> "/coprs/alice/big/build/"
                            + ((ThreadLocalRandom.current().nextInt(builds)) * 4 + 1) + "/"});
            for (Object[] p : pages) {
                @SuppressWarnings("unchecked")
                IntFunction<String> path = (IntFunction<String>) p[1];
                for (int clients : new int[] {1, 16}) {
                    run(base, path, clients, 2);  // warm-up
                    long[] lat = run(base, path, clients, seconds);
                    report.add(String.format("%-22s %2d clients: %6.0f req/s  p50 %5.1f ms  p99 %5.1f ms  (%d requests)", p[0], clients,
                            lat.length / (double) seconds, pct(lat, 50), pct(lat, 99), lat.length));
                }
            }
        }
        report.add("machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version"));
        report.forEach(System.out::println);
        java.nio.file.Files.write(java.nio.file.Path.of("target", "web-bench.txt"), report);
    }

    /** Latencies (ns) of every request {@code clients} threads complete in {@code seconds}; a non-200 fails. */
    /**
     * One client for the whole run: its connections stay open, and a client per measurement would pile up idle
     * connections until the hub's per-address connection limit (MaxConnectionsPerAddress) refuses new ones.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static long[] run(String base, IntFunction<String> path, int clients, int seconds) throws Exception {
        HttpClient http = HTTP;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        List<long[]> results = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                long[] lat = new long[1 << 20];
                int n = 0;
                while (System.nanoTime() < end && n < lat.length) {
                    String p = path.apply(n);
                    long s = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + p)).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException(p + " answered " + r.statusCode());
                        }
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalStateException(p + ": " + e, e);
                    }
                    lat[n++] = System.nanoTime() - s;
                }
                results.add(Arrays.copyOf(lat, n));
            });
            t.setUncaughtExceptionHandler((th, e) -> failures.add(e));
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " client(s) failed, first: " + failures.get(0), failures.get(0));
        }
        return results.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }
}

package org.fedorabuild.hub.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Load benchmark of a running hub: seeds tasks into its database (up to {@code --tasks}), then drives
 * getTaskInfo and listTasks over HTTP at each concurrency and prints requests/s with p50/p99 latency.
 * A measuring tool for operators, not a test.
 */
@Command(name = "bench", description = "Benchmark getTaskInfo and listTasks of a running hub (seeds tasks first).")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    HubOptions options;

    @Option(names = "--url", paramLabel = "URL", description = "hub endpoint (default: PublicURL/kojihub of the config)")
    String url;

    @Option(names = "--tasks", defaultValue = "10000", description = "tasks in the database (default: ${DEFAULT-VALUE})")
    int tasks;

    @Option(names = "--clients", split = ",", defaultValue = "1,8,64", description = "concurrency levels (default: ${DEFAULT-VALUE})")
    int[] clients;

    @Option(names = "--seconds", defaultValue = "10", description = "duration of each run (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--list-limit", defaultValue = "100",
            description = "queryOpts limit of listTasks (0: the whole listing, as koji list-tasks asks) (default: ${DEFAULT-VALUE})")
    int listLimit;

    @Option(names = "--max-id", paramLabel = "N",
            description = "measure a hub whose database this command does not reach (e.g. a real Koji hub seeded"
                    + " separately) holding task ids 1..N: skips seeding; needs --url")
    Integer maxIdGiven;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String endpoint;
        int maxId;
        if (maxIdGiven != null) {
            if (url == null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--max-id needs --url");
            }
            endpoint = url;
            maxId = maxIdGiven;
        } else {
            try (AdminSession s = new AdminSession(options)) {
                endpoint = url != null ? url : s.config.hubUrl();
                maxId = seed(s);
            }
        }
        out.printf("copr-hub bench: %s, %d tasks, %d s per run%n", endpoint, maxId, seconds);
        out.printf("%-12s %7s %10s %9s %9s %7s%n", "method", "clients", "req/s", "p50 ms", "p99 ms", "errors");
        String limit = listLimit > 0 ? "<member><name>limit</name><value><int>" + listLimit + "</int></value></member>" : "";
        String list = "<?xml version='1.0'?><methodCall><methodName>listTasks</methodName><params><param><value><struct>"
                + "<member><name>decode</name><value><boolean>1</boolean></value></member><member><name>state</name><value><array><data>"
                + "<value><int>0</int></value><value><int>1</int></value><value><int>4</int></value></data></array></value></member>"
                + "</struct></value></param><param><value><struct><member><name>order</name><value><string>priority,create_time"
                + "</string></value></member>" + limit + "</struct></value></param></params></methodCall>";
        for (int n : clients) {
            report(out, "getTaskInfo", n, run(endpoint, n, () -> "<?xml version='1.0'?><methodCall><methodName>getTaskInfo</methodName>"
                    + "<params><param><value><int>" + (1 + ThreadLocalRandom.current().nextInt(maxId)) + "</int></value></param>"
                    + "</params></methodCall>"));
            report(out, "listTasks", n, run(endpoint, n, () -> list));
        }
        return 0;
    }

    /** Tops the hub's task table up to {@code --tasks} rows (a third each FREE, CLOSED, ASSIGNED). */
    private int seed(AdminSession s) {
        return s.tx(() -> {
            long have = ((Number) s.services.db.scalar("SELECT count(*) FROM tasks").orElse(0L)).longValue();
            if (have < tasks) {
                int owner = (Integer) s.services.db.scalar("SELECT min(id) FROM users WHERE usertype = 0")
                        .orElseThrow(() -> new IllegalStateException("no user to own the tasks: run copr-hub user add NAME"));
                String request = org.fedorabuild.hub.task.TaskPayloads.encodeRequest("sleep", List.of(1), java.util.Map.of());
                s.services.db.update("INSERT INTO tasks (state, owner, method, request, channel_id) SELECT (g % 3) * 2 % 5,"
                        + " ?, 'sleep', ?, 1 FROM generate_series(1, ?) g", owner, request, (int) (tasks - have));
            }
            return (Integer) s.services.db.scalar("SELECT max(id) FROM tasks").orElse(1);
        });
    }

    /** Latencies of the answered requests, and how many requests failed (HTTP error, fault or no answer). */
    private record Run(long[] latencies, long errors) {
    }

    private Run run(String endpoint, int concurrency, java.util.function.Supplier<String> body) throws InterruptedException {
        java.util.concurrent.atomic.AtomicLong errors = new java.util.concurrent.atomic.AtomicLong();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            long[][] slot = new long[1][];
            Thread t = new Thread(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(endpoint))
                                .header("Content-Type", "text/xml").POST(HttpRequest.BodyPublishers.ofString(body.get())).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        // a fault is an answer, but not the one being measured
                        if (r.statusCode() != 200 || new String(r.body(), java.nio.charset.StandardCharsets.UTF_8).contains("<fault>")) {
                            errors.incrementAndGet();
                            continue;
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        continue;
                    }
                    if (n == lat.length) {
                        lat = Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = System.nanoTime() - t0;
                }
                slot[0] = Arrays.copyOf(lat, n);
                synchronized (perThread) {
                    perThread.add(slot[0]);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return new Run(perThread.stream().flatMapToLong(Arrays::stream).sorted().toArray(), errors.get());
    }

    private void report(PrintWriter out, String method, int clientsN, Run run) {
        long[] lat = run.latencies();
        if (lat.length == 0) {
            out.printf("%-12s %7d %10s%n", method, clientsN, "no answers");
            return;
        }
        out.printf("%-12s %7d %10.0f %9.2f %9.2f %7d%n", method, clientsN, lat.length / (double) seconds,
                lat[lat.length / 2] / 1e6, lat[Math.min(lat.length - 1, (int) (lat.length * 0.99))] / 1e6, run.errors());
        out.flush();
    }
}

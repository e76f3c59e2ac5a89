package org.fedorabuild.hub.schedule;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background loop of the hub that survives its own failures: a round that throws (a database outage, a bug) is
 * logged and the next round runs on schedule. A bare {@code scheduleWithFixedDelay} stops for good, silently, at
 * the first exception; every periodic job of the hub goes through here instead.
 *
 * <p>The first failure of a streak is logged with its stack trace, the repeats in one line each, and the recovery
 * once, so a 30-second database outage does not bury the log under identical traces.
 */
public final class Periodic implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Periodic.class);

    private final String name;
    private final ScheduledExecutorService executor;

    private Periodic(String name) {
        this.name = name;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts {@code round} after {@code initialDelay}, then {@code interval} after the end of each round. */
    public static Periodic every(String name, Duration initialDelay, Duration interval, Runnable round) {
        Periodic p = new Periodic(name);
        p.schedule(name, initialDelay, interval, round);
        return p;
    }

    /** Adds another job on the same thread (e.g. host checks next to dispatch rounds), guarded the same way. */
    public Periodic alsoEvery(String what, Duration interval, Runnable job) {
        schedule(name + "/" + what, interval, interval, job);
        return this;
    }

    private void schedule(String loop, Duration initialDelay, Duration interval, Runnable job) {
        executor.scheduleWithFixedDelay(new Guarded(loop, job), initialDelay.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** One job's rounds: whatever a round throws is logged here and never reaches the executor. */
    static final class Guarded implements Runnable {
        private final String loop;
        private final Runnable job;
        private int failures;

        Guarded(String loop, Runnable job) {
            this.loop = loop;
            this.job = job;
        }

        @Override
        public void run() {
            try {
                job.run();
                if (failures > 0) {
                    LOG.info("[loop={}] recovered after {} failed round(s)", loop, failures);
                    failures = 0;
                }
            } catch (Throwable e) {
                // Even an Error: an OutOfMemoryError from one oversized round must not end dispatch for good.
                failures++;
                if (failures == 1) {
                    LOG.error("[loop={}] round failed; next round on schedule", loop, e);
                } else {
                    LOG.warn("[loop={}] round failed again ({} in a row): {}", loop, failures, e.toString());
                }
            }
        }
    }

    /** Stops the schedule and waits up to {@code grace} for a running round. */
    public void stop(Duration grace) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}

package org.fedorabuild.watchdog.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** The simulated hub's clock: starts at a fixed instant, moves only when a test advances it. */
public final class SimClock {
    private final AtomicLong micros;

    public SimClock(Instant start) {
        micros = new AtomicLong(start.getEpochSecond() * 1_000_000L + start.getNano() / 1000);
    }

    public Instant now() {
        long m = micros.get();
        return Instant.ofEpochSecond(m / 1_000_000L, (m % 1_000_000L) * 1000);
    }

    public double epoch() {
        return micros.get() / 1e6;
    }

    public void advance(Duration d) {
        micros.addAndGet(d.toNanos() / 1000);
    }
}

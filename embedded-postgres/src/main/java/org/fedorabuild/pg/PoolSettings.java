package org.fedorabuild.pg;

import java.time.Duration;

/**
 * The pool knobs a daemon sets; everything else keeps HikariCP's defaults.
 *
 * @param poolName          prefixes HikariCP's log lines and is the session's application_name in
 *                          pg_stat_activity, so an operator sees which daemon holds a connection
 * @param maximumPoolSize   connections kept open (HikariCP keeps the pool at this size when idle)
 * @param connectionTimeout how long a caller waits for a connection before an SQLException
 */
public record PoolSettings(String poolName, int maximumPoolSize, Duration connectionTimeout) {
    public PoolSettings {
        if (poolName == null || poolName.isBlank()) {
            throw new IllegalArgumentException("pool name must not be blank, got '" + poolName + "'");
        }
        if (maximumPoolSize < 1 || maximumPoolSize > 1000) {
            throw new IllegalArgumentException("maximum pool size must be 1-1000, got " + maximumPoolSize);
        }
        // HikariCP rejects less than 250 ms and would silently replace it with its default.
        if (connectionTimeout == null || connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("connection timeout must be at least 250 ms, got " + connectionTimeout);
        }
    }

    /** {@code poolName} with 10 connections and a 10 s connection timeout. */
    public static PoolSettings named(String poolName) {
        return new PoolSettings(poolName, 10, Duration.ofSeconds(10));
    }

    public PoolSettings withMaximumPoolSize(int size) {
        return new PoolSettings(poolName, size, connectionTimeout);
    }

    public PoolSettings withConnectionTimeout(Duration timeout) {
        return new PoolSettings(poolName, maximumPoolSize, timeout);
    }
}

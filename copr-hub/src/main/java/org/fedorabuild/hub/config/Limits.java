package org.fedorabuild.hub.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.fedorabuild.compat.profile.ConfigKey;

/**
 * How much work one request, one address and one user may cause (the {@code [hub]} keys below, documented
 * in docs/security.md). Every limit refuses with a fault or error naming the limit and its key.
 *
 * @param multicallMaxCalls        entries in one {@code multiCall}
 * @param maxAnswerBytes           encoded size of one answer (a multicall stops at the entry that passes it)
 * @param anonListDefault          {@code limit} of an anonymous list call that gives none
 * @param anonListMax              largest {@code limit} an anonymous list call may ask for
 * @param minRequestDataRate       bytes/s a request body must arrive at (slower: the connection is closed)
 * @param idleTimeout              a connection silent this long is closed
 * @param maxConnectionsPerAddress open connections from one client address
 * @param maxThreadsPerAddress     requests of one client address handled at once (the rest wait, holding no thread)
 * @param userUploadBytes          bytes one user's upload area may hold
 * @param userActiveBuilds         one user's build/chain tasks waiting or running
 * @param maxLogBytes              a build log is cut past this size and its build fails
 * @param userMaxSessions          open sessions of one user (a new login ends the oldest past it)
 */
public record Limits(int multicallMaxCalls, long maxAnswerBytes, int anonListDefault, int anonListMax,
        long minRequestDataRate, Duration idleTimeout, int maxConnectionsPerAddress, int maxThreadsPerAddress,
        long userUploadBytes, int userActiveBuilds, long maxLogBytes, int userMaxSessions) {

    public static final ConfigKey<Long> MULTICALL_MAX_CALLS = ConfigKey.range("MulticallMaxCalls", 5000, 1, 100_000,
            "entries in one multiCall");
    public static final ConfigKey<Long> MAX_ANSWER_BYTES = ConfigKey.range("MaxAnswerBytes", 67108864, 65_536,
            Integer.MAX_VALUE - 8, "encoded bytes of one answer");
    public static final ConfigKey<Long> ANON_LIST_DEFAULT = ConfigKey.range("AnonListDefault", 1000, 1, 1_000_000,
            "limit of an anonymous list call that gives none");
    public static final ConfigKey<Long> ANON_LIST_MAX = ConfigKey.range("AnonListMax", 10000, 1, 10_000_000,
            "largest limit an anonymous list call may ask for");
    public static final ConfigKey<Long> MIN_REQUEST_DATA_RATE = ConfigKey.range("MinRequestDataRate", 1024, 0, 1L << 30,
            "bytes/s a request body must arrive at");
    public static final ConfigKey<Duration> IDLE_TIMEOUT = ConfigKey.duration("IdleTimeout", "30", "s",
            Duration.ofSeconds(1), Duration.ofDays(1), "a silent connection is closed after this long");
    public static final ConfigKey<Long> MAX_CONNECTIONS_PER_ADDRESS = ConfigKey.range("MaxConnectionsPerAddress", 64, 1,
            100_000, "open connections from one client address");
    public static final ConfigKey<Long> MAX_THREADS_PER_ADDRESS = ConfigKey.range("MaxThreadsPerAddress", 16, 1, 10_000,
            "requests of one client address handled at once");
    public static final ConfigKey<Long> USER_UPLOAD_BYTES = ConfigKey.range("UserUploadBytes", 8589934592L, 1024,
            Long.MAX_VALUE, "bytes one user's upload area may hold");
    public static final ConfigKey<Long> USER_ACTIVE_BUILDS = ConfigKey.range("UserActiveBuilds", 50, 1, 1_000_000,
            "one user's build and chain tasks waiting or running");
    public static final ConfigKey<Long> MAX_LOG_BYTES = ConfigKey.range("MaxLogBytes", 67108864, 4096, Long.MAX_VALUE,
            "a build log is cut past this size and its build fails");
    public static final ConfigKey<Long> USER_MAX_SESSIONS = ConfigKey.range("UserMaxSessions", 50, 1, 100_000,
            "open sessions of one user");

    /** The keys above, merged into the {@code [hub]} keys ({@link HubKeys}). */
    public static final List<ConfigKey<?>> KEYS = List.of(MULTICALL_MAX_CALLS, MAX_ANSWER_BYTES, ANON_LIST_DEFAULT,
            ANON_LIST_MAX, MIN_REQUEST_DATA_RATE, IDLE_TIMEOUT, MAX_CONNECTIONS_PER_ADDRESS, MAX_THREADS_PER_ADDRESS,
            USER_UPLOAD_BYTES, USER_ACTIVE_BUILDS, MAX_LOG_BYTES, USER_MAX_SESSIONS);

    /** Builds the limits from the typed values ({@code get}); the one cross-key check goes to {@code problem(key, why)}. */
    static Limits parse(Function<ConfigKey<Long>, Long> get, Function<ConfigKey<Duration>, Duration> getDuration,
            BiConsumer<String, String> problem) {
        long anonDefault = get.apply(ANON_LIST_DEFAULT);
        long anonMax = get.apply(ANON_LIST_MAX);
        if (anonDefault > anonMax) {
            problem.accept("AnonListDefault", anonDefault + " is larger than AnonListMax " + anonMax);
        }
        return new Limits(get.apply(MULTICALL_MAX_CALLS).intValue(), get.apply(MAX_ANSWER_BYTES), (int) anonDefault,
                (int) anonMax, get.apply(MIN_REQUEST_DATA_RATE), getDuration.apply(IDLE_TIMEOUT),
                get.apply(MAX_CONNECTIONS_PER_ADDRESS).intValue(), get.apply(MAX_THREADS_PER_ADDRESS).intValue(),
                get.apply(USER_UPLOAD_BYTES), get.apply(USER_ACTIVE_BUILDS).intValue(), get.apply(MAX_LOG_BYTES),
                get.apply(USER_MAX_SESSIONS).intValue());
    }

    void describe(Map<String, String> into) {
        Object[] v = {multicallMaxCalls, maxAnswerBytes, anonListDefault, anonListMax, minRequestDataRate,
            org.fedorabuild.compat.profile.ConfigValues.formatDuration(idleTimeout, "s"), maxConnectionsPerAddress, maxThreadsPerAddress, userUploadBytes, userActiveBuilds,
            maxLogBytes, userMaxSessions};
        int i = 0;
        for (ConfigKey<?> key : KEYS) {
            into.put(key.name(), String.valueOf(v[i++]));
        }
    }
}

package org.fedorabuild.hub.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

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

    /** Key → default, merged into the {@code [hub]} keys. */
    public static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("MulticallMaxCalls", "5000");
        DEFAULTS.put("MaxAnswerBytes", "67108864");
        DEFAULTS.put("AnonListDefault", "1000");
        DEFAULTS.put("AnonListMax", "10000");
        DEFAULTS.put("MinRequestDataRate", "1024");
        DEFAULTS.put("IdleTimeout", "30");
        DEFAULTS.put("MaxConnectionsPerAddress", "64");
        DEFAULTS.put("MaxThreadsPerAddress", "16");
        DEFAULTS.put("UserUploadBytes", "8589934592");
        DEFAULTS.put("UserActiveBuilds", "50");
        DEFAULTS.put("MaxLogBytes", "67108864");
        DEFAULTS.put("UserMaxSessions", "50");
    }

    /** Parses the keys from {@code values}; each bad value is reported to {@code problem(key, why)}. */
    static Limits parse(Function<String, String> values, BiConsumer<String, String> problem) {
        long[] v = new long[12];
        long[][] ranges = {{1, 100_000}, {65_536, Integer.MAX_VALUE - 8}, {1, 1_000_000}, {1, 10_000_000}, {0, 1L << 30},
                {1, 86_400}, {1, 100_000}, {1, 10_000}, {1024, Long.MAX_VALUE}, {1, 1_000_000}, {4096, Long.MAX_VALUE},
                {1, 100_000}};
        int i = 0;
        for (String key : DEFAULTS.keySet()) {
            String text = values.apply(key).strip();
            try {
                long n = Long.parseLong(text);
                if (n < ranges[i][0] || n > ranges[i][1]) {
                    problem.accept(key, n + " is out of range " + ranges[i][0] + ".." + ranges[i][1]);
                }
                v[i] = n;
            } catch (NumberFormatException e) {
                problem.accept(key, "'" + text + "' is not an integer");
            }
            i++;
        }
        if (v[2] > v[3]) {
            problem.accept("AnonListDefault", v[2] + " is larger than AnonListMax " + v[3]);
        }
        return new Limits((int) v[0], v[1], (int) v[2], (int) v[3], v[4], Duration.ofSeconds(v[5]), (int) v[6], (int) v[7],
                v[8], (int) v[9], v[10], (int) v[11]);
    }

    void describe(Map<String, String> into) {
        Object[] v = {multicallMaxCalls, maxAnswerBytes, anonListDefault, anonListMax, minRequestDataRate,
            idleTimeout.toSeconds(), maxConnectionsPerAddress, maxThreadsPerAddress, userUploadBytes, userActiveBuilds,
            maxLogBytes, userMaxSessions};
        int i = 0;
        for (String key : DEFAULTS.keySet()) {
            into.put(key, String.valueOf(v[i++]));
        }
    }
}

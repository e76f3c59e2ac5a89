package org.fedorabuild.compat.session;

import java.util.Set;
import org.fedorabuild.compat.fault.KojiFault;

/**
 * Koji's call-number rule: each request of a logged-in client carries the next number; a lower one is out
 * of sequence (SequenceError), an equal one is a retry, refused (RetryError) unless the call is one that is
 * safe to repeat. A hub records the new number only when the call committed writes, so a retried read is
 * always answered.
 */
public final class CallnumPolicy {
    /** Calls Koji lets a client repeat with the same number. */
    public static final Set<String> RETRY_SAFE = Set.of("host.taskWait", "host.taskUnwait", "host.taskSetWait",
            "host.updateHost", "host.setBuildRootState", "repoExpire", "repoDelete", "repoProblem");

    private CallnumPolicy() {
    }

    /**
     * @param stored the last number the hub recorded for the session, or null if none yet
     * @param received the number the request carries, or null (old clients) to skip the check
     */
    public static void check(Long stored, Long received, String method) {
        if (stored == null || received == null) {
            return;
        }
        if (stored > received) {
            throw new KojiFault.SequenceError("tried to use callnum " + received + ", but the last was " + stored);
        }
        if (stored.equals(received) && !RETRY_SAFE.contains(method)) {
            throw new KojiFault.RetryError("unable to retry call " + received + " (method " + method + ") for session");
        }
    }
}

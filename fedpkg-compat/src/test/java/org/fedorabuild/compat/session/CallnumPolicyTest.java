package org.fedorabuild.compat.session;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fedorabuild.compat.fault.FaultKind;
import org.fedorabuild.compat.fault.KojiFault;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** koji-api.md §2.3: lower call number → SequenceError 1008, equal → RetryError 1009 unless whitelisted. */
class CallnumPolicyTest {
    @Test
    void nextNumberPasses() {
        assertDoesNotThrow(() -> CallnumPolicy.check(4L, 5L, "getTaskInfo"));
        assertDoesNotThrow(() -> CallnumPolicy.check(4L, 9L, "getTaskInfo"), "gaps are fine (read-only calls don't persist)");
    }

    @Test
    void lowerNumberIsSequenceError() {
        KojiFault f = assertThrows(KojiFault.SequenceError.class, () -> CallnumPolicy.check(5L, 4L, "getTaskInfo"));
        assertEquals(1008, f.code());
        assertTrue(f.isA(FaultKind.AUTH_ERROR));
        assertTrue(f.getMessage().contains("4") && f.getMessage().contains("5"), f.getMessage());
        // even whitelisted methods may not go backwards
        assertThrows(KojiFault.SequenceError.class, () -> CallnumPolicy.check(5L, 4L, "host.updateHost"));
    }

    @Test
    void equalNumberIsRetryError() {
        KojiFault f = assertThrows(KojiFault.RetryError.class, () -> CallnumPolicy.check(5L, 5L, "freeTask"));
        assertEquals(1009, f.code());
        assertTrue(f.getMessage().contains("freeTask"), f.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"host.taskWait", "host.taskUnwait", "host.taskSetWait", "host.updateHost",
            "host.setBuildRootState", "repoExpire", "repoDelete", "repoProblem"})
    void whitelistedMethodsMayRepeatTheirNumber(String method) {
        assertDoesNotThrow(() -> CallnumPolicy.check(5L, 5L, method));
    }

    @Test
    void missingNumbersSkipTheCheck() {
        assertDoesNotThrow(() -> CallnumPolicy.check(null, 0L, "getTaskInfo"), "first call of a session");
        assertDoesNotThrow(() -> CallnumPolicy.check(7L, null, "getTaskInfo"), "old client without callnum");
        assertEquals(8, CallnumPolicy.RETRY_SAFE.size());
    }
}

package org.fedorabuild.watchdog.guard;

import org.fedorabuild.watchdog.detect.Decision;

/** A decision with its outcome and, for failures, the detail. */
public record Verdict(Decision decision, Outcome outcome, String detail) {
    public Verdict with(Outcome o, String d) {
        return new Verdict(decision, o, d);
    }
}

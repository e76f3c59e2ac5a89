package org.fedorabuild.watchdog.guard;

import java.util.ArrayList;
import java.util.List;
import org.fedorabuild.watchdog.config.WatchdogConfig.Policy;
import org.fedorabuild.watchdog.detect.Action;
import org.fedorabuild.watchdog.detect.Decision;
import org.fedorabuild.watchdog.detect.Memory;
import org.fedorabuild.watchdog.detect.Rule;
import org.fedorabuild.watchdog.detect.Rules;

/**
 * The safety rails, applied in this order to a complete snapshot's decisions (an incomplete snapshot never
 * gets here: the cycle acts only when the hub answered fully and consistently):
 * <ol>
 *   <li><b>stale fraction</b>: more than {@code max_stale_fraction} of the enabled hosts that ever checked in
 *       are stale → nothing is done, and a {@code guard} decision says so;</li>
 *   <li><b>warm-up</b>: while an outage is open, or less than {@code outage_warmup} (hub clock) after it
 *       ended, no host is judged;</li>
 *   <li><b>once per run</b>: a task run (task, host, start_ts) already freed or canceled is never acted on
 *       again;</li>
 *   <li><b>rate limit</b>: at most {@code max_frees_per_cycle} frees and cancels; the rest wait;</li>
 *   <li><b>dry run</b>: everything left is reported as {@code dry-run}.</li>
 * </ol>
 */
public final class Guards {
    private Guards() {
    }

    public static List<Verdict> apply(Rules.Evaluation e, Memory memory, Policy p, OutageView outage, double hubNow) {
        List<Verdict> out = new ArrayList<>();
        boolean tripped = e.staleFraction() > p.maxStaleFraction();
        boolean warm = outage.open()
                || (outage.lastEndedHub() != null && hubNow - outage.lastEndedHub() < p.outageWarmup().toSeconds());
        if (tripped) {
            out.add(new Verdict(new Decision(Rule.GUARD, null, null, String.format(
                    "guard tripped: %d of %d enabled hosts stale (%.0f%%) > max_stale_fraction %.0f%%; freeing nothing",
                    e.staleEnabled(), e.enabledSeen(), 100 * e.staleFraction(), 100 * p.maxStaleFraction()),
                    Action.NONE), Outcome.REPORTED, null));
        } else if (warm && !e.decisions().isEmpty()) {
            String why = outage.open() ? "an outage is still open"
                    : String.format("outage ended %d s ago < outage_warmup %d s", (long) (hubNow - outage.lastEndedHub()),
                            p.outageWarmup().toSeconds());
            out.add(new Verdict(new Decision(Rule.GUARD, null, null, "guard: warm-up after outage (" + why
                    + "); judging no host", Action.NONE), Outcome.REPORTED, null));
        }
        int budget = p.maxFreesPerCycle();
        for (Decision d : e.decisions()) {
            Outcome o;
            if (tripped) {
                o = Outcome.GUARD_STALE_FRACTION;
            } else if (warm) {
                o = Outcome.GUARD_WARMUP;
            } else if (d.task() != null && memory.freedRuns().contains(d.task().runKey())) {
                o = Outcome.ALREADY_DONE;
            } else if (d.action().changesTask() && budget <= 0) {
                o = Outcome.RATE_LIMITED;
            } else {
                if (d.action().changesTask()) {
                    budget--;
                }
                o = p.dryRun() ? Outcome.DRY_RUN : Outcome.ACT;
            }
            out.add(new Verdict(d, o, null));
        }
        return out;
    }

    /** True when the guard's count says every enabled host is silent at once (as after a hub-side outage). */
    public static boolean allSilent(Rules.Evaluation e) {
        return e.enabledSeen() > 0 && e.staleEnabled() == e.enabledSeen();
    }
}

package org.fedorabuild.watchdog.cycle;

import java.util.ArrayList;
import java.util.List;
import org.fedorabuild.watchdog.detect.Decision;
import org.fedorabuild.watchdog.detect.Rules;
import org.fedorabuild.watchdog.guard.Verdict;
import org.fedorabuild.watchdog.hub.FleetSnapshot;

/**
 * The result of one cycle.
 *
 * @param snapshot null unless the hub was read fully
 * @param problem why the hub could not be read, null when complete
 */
public record CycleReport(String cycleId, Status status, String problem, FleetSnapshot snapshot,
        Rules.Evaluation evaluation, List<Verdict> verdicts, int requests, double seconds) {

    public enum Status {
        /** The hub answered fully and consistently; decisions were judged (and acted on if allowed). */
        COMPLETE,
        /** No answer within the timeouts: recorded as an outage. */
        UNREACHABLE,
        /** A partial or inconsistent answer: nothing judged. */
        INCOMPLETE
    }

    public boolean complete() {
        return status == Status.COMPLETE;
    }

    /** One line per decision: rule, host, {@code task N}, action, outcome, evidence. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        for (Verdict v : verdicts) {
            out.add(line(v));
        }
        if (!complete()) {
            // The readers already start an unreachable hub's problem with "hub unreachable"; say it once.
            String what = status == Status.UNREACHABLE ? "hub unreachable" : "hub answer incomplete";
            out.add("error  " + (problem.startsWith(what) ? problem : what + ": " + problem) + "; nothing judged");
        }
        return out;
    }

    public static String line(Verdict v) {
        Decision d = v.decision();
        return String.format("%-19s %-16s %-10s %-7s %-26s %s", d.rule().label(), d.hostName(), d.taskLabel(),
                d.action().label(), v.detail() == null ? v.outcome().label() : v.outcome().label() + " (" + v.detail() + ")",
                d.evidence());
    }

    public String summary() {
        if (!complete()) {
            return String.format("cycle %s: %s after %d request(s), %.2f s: %s", cycleId, status.name().toLowerCase(),
                    requests, seconds, problem);
        }
        long acted = verdicts.stream().filter(v -> v.outcome().changedHub()).count();
        return String.format("cycle %s: complete, %d hosts (%d stale), %d active tasks, %d decision(s), %d acted,"
                + " %d request(s), %.2f s, hub clock %.0f (%s)", cycleId, snapshot.hosts().size(),
                evaluation.staleHosts().size(), snapshot.tasks().size(), verdicts.size(), acted, requests, seconds,
                snapshot.hubNow(), snapshot.clockSource());
    }
}

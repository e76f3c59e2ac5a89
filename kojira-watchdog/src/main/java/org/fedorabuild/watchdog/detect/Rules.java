package org.fedorabuild.watchdog.detect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedorabuild.watchdog.config.WatchdogConfig.Policy;
import org.fedorabuild.watchdog.hub.FleetSnapshot;
import org.fedorabuild.watchdog.hub.Host;
import org.fedorabuild.watchdog.hub.Task;

/**
 * The detection rules, as pure functions of a snapshot, the watchdog's memory and the policy. Every age is
 * {@code snapshot.hubNow() - <a hub timestamp>}: the hub's clock on both sides.
 *
 * <ul>
 *   <li><b>stale-host</b>: a host whose last sign of life (the later of {@code update_ts} and
 *       {@code getLastHostUpdate}) is older than {@code host_grace} (default 900 s), or that never checked in,
 *       whatever its ready flag says: its OPEN and ASSIGNED tasks are freed; first the host is fenced
 *       (disabled with a comment) when {@code fence} is on and it is enabled.</li>
 *   <li><b>disabled-host-task</b>: a disabled host that is still alive keeps a task OPEN or ASSIGNED longer
 *       than {@code disabled_task_deadline} (default 4 h) after the later of the task's start and the first
 *       cycle that saw the host disabled: the task is freed (Koji's scheduler never reclaims these).</li>
 *   <li><b>assigned-not-opened</b>: an ASSIGNED task not opened within {@code assign_timeout} (default 900 s)
 *       of the later of its creation and the first cycle that saw it assigned there: freed.</li>
 *   <li><b>hung-task</b>: an OPEN, non-waiting task on a live host whose output (newest {@code st_mtime} of
 *       {@code listTaskOutput(stat=True)}, or growth seen by the watchdog, or its start) is older than
 *       {@code hung_task_timeout} (default 8 h): freed or canceled per {@code hung_task_action}.</li>
 *   <li><b>fence-release</b>: a host this watchdog fenced that has been healthy (not stale) for
 *       {@code fence_release} (default 600 s) is enabled again with its old comment.</li>
 * </ul>
 * Hosts being drained are left to their drain.
 */
public final class Rules {
    private Rules() {
    }

    /** The rules' findings; {@code staleEnabled}/{@code enabledSeen} feed the stale-fraction guard. */
    public record Evaluation(List<Decision> decisions, List<Host> staleHosts, int enabledSeen, int staleEnabled) {
        public double staleFraction() {
            return enabledSeen == 0 ? 0.0 : (double) staleEnabled / enabledSeen;
        }
    }

    public static boolean isStale(Host h, double now, Duration grace) {
        Double seen = h.lastSeen();
        return seen == null || now - seen > grace.toMillis() / 1000.0;
    }

    public static Evaluation evaluate(FleetSnapshot s, Memory m, Policy p, Map<Long, Double> lastProgress) {
        double now = s.hubNow();
        List<Decision> out = new ArrayList<>();
        List<Host> stale = new ArrayList<>();
        int enabledSeen = 0;
        int staleEnabled = 0;
        Map<Long, List<Task>> byHost = s.tasksByHost();
        long grace = p.hostGrace().toSeconds();
        for (Host h : s.hosts()) {
            boolean isStale = isStale(h, now, p.hostGrace());
            if (h.enabled() && h.lastSeen() != null) {
                enabledSeen++;
                if (isStale) {
                    staleEnabled++;
                }
            }
            List<Task> tasks = byHost.getOrDefault(h.id(), List.of());
            if (isStale) {
                stale.add(h);
            }
            if (m.draining().contains(h.id())) {
                continue;
            }
            if (isStale) {
                if (tasks.isEmpty()) {
                    continue;
                }
                String why = h.lastSeen() == null ? "never checked in" : String.format("silent %d s > host_grace %d s",
                        h.silentSeconds(now), grace);
                if (p.fence() && h.enabled()) {
                    out.add(new Decision(Rule.STALE_HOST, h, null, why + "; fencing before freeing " + tasks.size()
                            + " task(s)", Action.FENCE));
                }
                for (Task t : tasks) {
                    out.add(new Decision(Rule.STALE_HOST, h, t, why + " holding " + Task.stateName(t.state()) + " "
                            + t.method(), Action.FREE));
                }
                continue;
            }
            if (!h.enabled() && !m.fenced().containsKey(h.id()) && !p.disabledTaskDeadline().isZero()) {
                Double disabledSince = m.disabledSince().get(h.id());
                for (Task t : tasks) {
                    double since = Math.max(disabledSince == null ? now : disabledSince, taskSince(t));
                    long age = (long) (now - since);
                    if (age > p.disabledTaskDeadline().toSeconds()) {
                        out.add(new Decision(Rule.DISABLED_HOST_TASK, h, t, String.format(
                                "%s on disabled host for %d s > disabled_task_deadline %d s", Task.stateName(t.state()),
                                age, p.disabledTaskDeadline().toSeconds()), Action.FREE));
                    }
                }
                continue;
            }
            for (Task t : tasks) {
                if (t.assigned() && !p.assignTimeout().isZero()) {
                    Double seen = m.assignedSince().get(t.id());
                    double since = Math.max(seen == null ? now : seen, t.createTs() == null ? now : t.createTs());
                    long age = (long) (now - since);
                    if (age > p.assignTimeout().toSeconds()) {
                        out.add(new Decision(Rule.ASSIGNED_NOT_OPENED, h, t, String.format(
                                "ASSIGNED, not opened for %d s > assign_timeout %d s", age,
                                p.assignTimeout().toSeconds()), Action.FREE));
                    }
                } else if (t.open() && !p.hungTaskTimeout().isZero()) {
                    Double last = lastProgress.get(t.id());
                    if (last != null && now - last > p.hungTaskTimeout().toSeconds()) {
                        out.add(new Decision(Rule.HUNG_TASK, h, t, String.format(
                                "no output growth for %d s > hung_task_timeout %d s on a live host (checked in %d s ago)",
                                (long) (now - last), p.hungTaskTimeout().toSeconds(), h.silentSeconds(now)),
                                "cancel".equals(p.hungTaskAction()) ? Action.CANCEL : Action.FREE));
                    }
                }
            }
        }
        fenceReleases(s, m, p, out);
        return new Evaluation(out, stale, enabledSeen, staleEnabled);
    }

    private static void fenceReleases(FleetSnapshot s, Memory m, Policy p, List<Decision> out) {
        if (p.fenceRelease().isZero()) {
            return;
        }
        Map<Long, Host> hosts = s.hostsById();
        m.fenced().forEach((id, fence) -> {
            Host h = hosts.get(id);
            if (h == null || h.enabled() || fence.healthySince() == null || isStale(h, s.hubNow(), p.hostGrace())) {
                return;
            }
            long healthy = (long) (s.hubNow() - fence.healthySince());
            if (healthy >= p.fenceRelease().toSeconds()) {
                out.add(new Decision(Rule.FENCE_RELEASE, h, null, String.format(
                        "checked in healthily for %d s >= fence_release %d s", healthy, p.fenceRelease().toSeconds()),
                        Action.UNFENCE));
            }
        });
    }

    private static double taskSince(Task t) {
        if (t.startTs() != null) {
            return t.startTs();
        }
        return t.createTs() == null ? 0 : t.createTs();
    }

    /**
     * OPEN, non-waiting tasks on live, undrained hosts that started longer than hung_task_timeout ago: the
     * only tasks whose output the cycle needs to read.
     */
    public static List<Long> hungCandidates(FleetSnapshot s, Memory m, Policy p) {
        List<Long> ids = new ArrayList<>();
        if (p.hungTaskTimeout().isZero()) {
            return ids;
        }
        Map<Long, Host> hosts = s.hostsById();
        for (Task t : s.tasks()) {
            Host h = t.hostId() == null ? null : hosts.get(t.hostId());
            if (h == null || !t.open() || t.waiting() || t.startTs() == null || m.draining().contains(h.id())
                    || !h.enabled() || isStale(h, s.hubNow(), p.hostGrace())) {
                continue;
            }
            if (s.hubNow() - t.startTs() > p.hungTaskTimeout().toSeconds()) {
                ids.add(t.id());
            }
        }
        return ids;
    }
}

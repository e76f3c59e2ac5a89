package org.fedorabuild.watchdog.action;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.client.KojiConnectionException;
import org.fedorabuild.compat.client.MulticallResult;
import org.fedorabuild.compat.wire.KojiCall;
import org.fedorabuild.watchdog.audit.AuditStore;
import org.fedorabuild.watchdog.audit.RunClaims;
import org.fedorabuild.watchdog.detect.Decision;
import org.fedorabuild.watchdog.guard.Outcome;
import org.fedorabuild.watchdog.guard.Verdict;
import org.fedorabuild.watchdog.hub.HubSession;
import org.fedorabuild.watchdog.hub.Task;

/**
 * Carries out the verdicts that passed the guards ({@link Outcome#ACT}); everything else passes through
 * unchanged, so a dry run never reaches the hub. Check cheaply, then claim, re-check and act:
 * <ol>
 *   <li>re-read every target task ({@code multiCall [getTaskInfo(id) …]}) and skip those whose run changed
 *       since the snapshot (another host opened it: that run is the other host's now);</li>
 *   <li>claim the run in the database ({@link RunClaims#claim}), so no run is acted on twice, even by
 *       two instances;</li>
 *   <li>send the actions in one {@code multiCall}, in decision order (a host's fence before its frees):
 *       {@code disableHost}+{@code editHost(comment=…)}, {@code freeTask}, {@code cancelTask},
 *       {@code enableHost}+{@code editHost};</li>
 *   <li>a refused action gives its claim back and is reported {@code failed} with the hub's fault.</li>
 * </ol>
 */
public final class HubActions {
    public static final String FENCE_COMMENT_PREFIX = "kojira-watchdog fenced: ";

    private final HubSession hub;
    private final AuditStore store;

    public HubActions(HubSession hub, AuditStore store) {
        this.hub = hub;
        this.store = store;
    }

    public List<Verdict> execute(List<Verdict> verdicts) {
        List<Verdict> out = new ArrayList<>(verdicts);
        Map<Integer, Task> current = recheck(out);
        List<KojiCall> calls = new ArrayList<>();
        List<int[]> owners = new ArrayList<>(); // {verdict index, number of calls}
        for (int i = 0; i < out.size(); i++) {
            Verdict v = out.get(i);
            if (v.outcome() != Outcome.ACT) {
                continue;
            }
            Decision d = v.decision();
            if (d.task() != null) {
                Task now = current.get(i);
                if (!sameRun(d.task(), now)) {
                    out.set(i, v.with(Outcome.SKIPPED_MOVED, now == null ? "task no longer exists"
                            : "now " + Task.stateName(now.state()) + (now.hostId() == null ? "" : " on host " + now.hostId())));
                    continue;
                }
                if (!store.runs().claim(d.task().runKey(), d.rule().label(), d.action().label())) {
                    out.set(i, v.with(Outcome.ALREADY_DONE, null));
                    continue;
                }
            }
            List<KojiCall> mine = calls(d);
            calls.addAll(mine);
            owners.add(new int[] {i, mine.size()});
        }
        if (calls.isEmpty()) {
            return out;
        }
        List<MulticallResult> results;
        try {
            results = hub.multicall(calls);
        } catch (KojiConnectionException e) {
            for (int[] o : owners) {
                Verdict v = out.get(o[0]);
                release(v.decision());
                out.set(o[0], v.with(Outcome.FAILED, "no answer from the hub: " + e.getMessage()));
            }
            return out;
        }
        int r = 0;
        for (int[] o : owners) {
            Verdict v = out.get(o[0]);
            String fault = null;
            for (int k = 0; k < o[1]; k++, r++) {
                if (!results.get(r).ok() && fault == null) {
                    fault = results.get(r).fault().toString();
                }
            }
            Decision d = v.decision();
            if (fault != null) {
                release(d);
                out.set(o[0], v.with(Outcome.FAILED, fault));
                continue;
            }
            switch (d.action()) {
                case FREE -> out.set(o[0], v.with(Outcome.FREED, null));
                case CANCEL -> out.set(o[0], v.with(Outcome.CANCELED, null));
                case FENCE -> {
                    store.fences().record(d.host(), d.host().comment());
                    out.set(o[0], v.with(Outcome.FENCED, null));
                }
                case UNFENCE -> {
                    store.fences().clear(d.host().id());
                    out.set(o[0], v.with(Outcome.UNFENCED, null));
                }
                default -> out.set(o[0], v.with(Outcome.REPORTED, null));
            }
        }
        return out;
    }

    private void release(Decision d) {
        if (d.task() != null) {
            store.runs().release(d.task().runKey());
        }
    }

    private List<KojiCall> calls(Decision d) {
        return switch (d.action()) {
            case FREE -> List.of(KojiCall.of("freeTask", d.task().id()));
            case CANCEL -> List.of(KojiCall.of("cancelTask", d.task().id()));
            case FENCE -> List.of(KojiCall.of("disableHost", d.host().name()),
                    new KojiCall("editHost", List.of(d.host().name()),
                            Map.of("comment", FENCE_COMMENT_PREFIX + d.evidence())));
            case UNFENCE -> {
                // Restore the comment the host had before we fenced it, unless an operator changed it since.
                String previous = d.host().comment() != null && d.host().comment().startsWith(FENCE_COMMENT_PREFIX)
                        ? store.fences().previousComment(d.host().id()) : d.host().comment();
                Map<String, Object> kw = new HashMap<>();
                kw.put("comment", previous == null ? "" : previous);
                yield List.of(KojiCall.of("enableHost", d.host().name()),
                        new KojiCall("editHost", List.of(d.host().name()), kw));
            }
            case NONE -> List.of();
        };
    }

    /** The target tasks as the hub has them now, by verdict index; one multicall. */
    private Map<Integer, Task> recheck(List<Verdict> verdicts) {
        List<Integer> idx = new ArrayList<>();
        List<KojiCall> calls = new ArrayList<>();
        for (int i = 0; i < verdicts.size(); i++) {
            Verdict v = verdicts.get(i);
            if (v.outcome() == Outcome.ACT && v.decision().task() != null) {
                idx.add(i);
                calls.add(KojiCall.of("getTaskInfo", v.decision().task().id()));
            }
        }
        Map<Integer, Task> out = new HashMap<>();
        if (calls.isEmpty()) {
            return out;
        }
        List<MulticallResult> results = hub.multicall(calls);
        for (int k = 0; k < idx.size(); k++) {
            MulticallResult r = results.get(k);
            if (r.ok() && r.value() instanceof Map<?, ?> m) {
                Object host = m.get("host_id");
                Object start = m.get("start_ts");
                out.put(idx.get(k), new Task(((Number) m.get("id")).longValue(), ((Number) m.get("state")).intValue(),
                        host == null ? null : ((Number) host).longValue(), (String) m.get("method"), (String) m.get("arch"),
                        null, null, start == null ? null : ((Number) start).doubleValue(), false, null));
            }
        }
        return out;
    }

    static boolean sameRun(Task before, Task now) {
        if (now == null || (now.state() != Task.OPEN && now.state() != Task.ASSIGNED)) {
            return false;
        }
        return before.runKey().equals(now.runKey()) && before.state() == now.state();
    }
}

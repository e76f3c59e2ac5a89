package org.fedorabuild.watchdog.drain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedorabuild.compat.client.MulticallResult;
import org.fedorabuild.compat.wire.KojiCall;
import org.fedorabuild.watchdog.audit.AuditStore;
import org.fedorabuild.watchdog.audit.DrainStore;
import org.fedorabuild.watchdog.config.WatchdogConfig;
import org.fedorabuild.watchdog.cycle.WatchdogCycle;
import org.fedorabuild.watchdog.detect.Action;
import org.fedorabuild.watchdog.detect.Decision;
import org.fedorabuild.watchdog.detect.Rule;
import org.fedorabuild.watchdog.guard.Outcome;
import org.fedorabuild.watchdog.guard.Verdict;
import org.fedorabuild.watchdog.hub.FleetSnapshot;
import org.fedorabuild.watchdog.hub.Host;
import org.fedorabuild.watchdog.hub.HubSession;
import org.fedorabuild.watchdog.hub.Task;
import org.fedorabuild.watchdog.metrics.WatchdogMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains and decommissions builders. A drain disables the host with a comment ({@code kojira-watchdog
 * draining: …}), waits for its OPEN and ASSIGNED tasks to finish, frees what remains at the deadline (hub
 * clock), then decommissions it ({@link Decommissioner}). Drains live in the database, so the service
 * carries on a drain an operator started with {@code drain HOST}, and two instances never decommission a
 * host twice (state moves are compare-and-set).
 * <p>Automatic mode ({@code auto_drain}) drains hosts an operator lists ({@code auto_drain_hosts}) or the
 * policy flags: freed for staleness in {@code auto_drain_stale_count} cycles, or failing all of at least
 * {@code auto_drain_fail_count} tasks within {@code auto_drain_window}; never more than
 * {@code max_drains_per_channel} hosts of one channel draining at once.
 */
public final class Drainer implements WatchdogCycle.Step {
    private static final Logger LOG = LoggerFactory.getLogger(Drainer.class);
    public static final String DRAIN_COMMENT_PREFIX = "kojira-watchdog draining: ";

    private final WatchdogConfig config;
    private final AuditStore store;
    private final Decommissioner decommissioner;
    private final WatchdogMetrics metrics;

    public Drainer(WatchdogConfig config, AuditStore store, Decommissioner decommissioner, WatchdogMetrics metrics) {
        this.config = config;
        this.store = store;
        this.decommissioner = decommissioner;
        this.metrics = metrics;
    }

    /** Starts draining {@code host}: disable + comment on the hub, a drain row in the database. */
    public Verdict start(HubSession hub, FleetSnapshot s, Host host, Duration deadline, String reason) {
        double due = s.hubNow() + deadline.toSeconds();
        Decision d = new Decision(Rule.DRAIN, host, null, reason + "; deadline in " + deadline.toSeconds() + " s",
                Action.FENCE);
        if (!store.drains().start(host, reason, s.hubNow(), due)) {
            return new Verdict(d, Outcome.REPORTED, "already draining");
        }
        List<MulticallResult> r = hub.multicall(List.of(KojiCall.of("disableHost", host.name()),
                new KojiCall("editHost", List.of(host.name()), Map.of("comment", DRAIN_COMMENT_PREFIX + reason))));
        String fault = r.stream().filter(x -> !x.ok()).map(x -> x.fault().toString()).findFirst().orElse(null);
        if (fault != null) {
            store.drains().list(true).stream().filter(x -> x.hostId() == host.id()).findFirst()
                    .ifPresent(x -> store.drains().move(x.id(), "draining", "failed", "disable refused: " + fault));
            return new Verdict(d, Outcome.FAILED, fault);
        }
        if (metrics != null) {
            metrics.drain("draining");
        }
        return new Verdict(d, Outcome.FENCED, "draining");
    }

    @Override
    public List<Verdict> run(HubSession hub, FleetSnapshot s, boolean mayAct) {
        List<Verdict> out = new ArrayList<>();
        if (!mayAct) {
            return out;
        }
        if (config.drain().auto()) {
            out.addAll(autoStart(hub, s));
        }
        out.addAll(step(hub, s, null));
        return out;
    }

    /** Advances every active drain (or only {@code onlyHost}'s). */
    public List<Verdict> step(HubSession hub, FleetSnapshot s, String onlyHost) {
        List<Verdict> out = new ArrayList<>();
        Map<Long, Host> hosts = s.hostsById();
        for (DrainStore.DrainRow row : store.drains().list(true)) {
            if (onlyHost != null && !onlyHost.equals(row.hostName())) {
                continue;
            }
            Host h = hosts.get(row.hostId());
            if (h == null) {
                store.drains().move(row.id(), row.state(), "failed", "host no longer listed by the hub");
                continue;
            }
            if (row.state().equals("draining")) {
                List<Task> tasks = s.tasksOf(h.id());
                if (!tasks.isEmpty() && s.hubNow() < row.deadlineHub()) {
                    continue; // still working; the deadline has not come
                }
                if (!tasks.isEmpty()) {
                    out.addAll(freeAtDeadline(hub, s, h, tasks, row));
                }
                if (!store.drains().move(row.id(), "draining", "decommissioning", "tasks done or freed")) {
                    continue;
                }
            } else if (!row.state().equals("decommissioning")) {
                continue;
            }
            Decommissioner.Result r = decommissioner.decommission(h.name(), h.arches());
            store.drains().move(row.id(), "decommissioning", r.ok() ? "done" : "failed", r.detail());
            if (metrics != null) {
                metrics.drain(r.ok() ? "done" : "failed");
            }
            out.add(new Verdict(new Decision(Rule.DRAIN, h, null, "decommission: " + r.detail(), Action.NONE),
                    r.ok() ? Outcome.REPORTED : Outcome.FAILED, r.ok() ? "decommissioned" : r.detail()));
        }
        return out;
    }

    private List<Verdict> freeAtDeadline(HubSession hub, FleetSnapshot s, Host h, List<Task> tasks,
            DrainStore.DrainRow row) {
        List<Verdict> out = new ArrayList<>();
        List<KojiCall> calls = new ArrayList<>();
        List<Task> claimed = new ArrayList<>();
        for (Task t : tasks) {
            Decision d = new Decision(Rule.DRAIN, h, t, String.format("drain deadline passed %d s ago with %s still held",
                    (long) (s.hubNow() - row.deadlineHub()), Task.stateName(t.state())), Action.FREE);
            if (!store.runs().claim(t.runKey(), Rule.DRAIN.label(), "free")) {
                out.add(new Verdict(d, Outcome.ALREADY_DONE, null));
                continue;
            }
            calls.add(KojiCall.of("freeTask", t.id()));
            claimed.add(t);
            out.add(new Verdict(d, Outcome.ACT, null));
        }
        List<MulticallResult> results = hub.multicall(calls);
        int k = 0;
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).outcome() != Outcome.ACT) {
                continue;
            }
            MulticallResult r = results.get(k);
            Task t = claimed.get(k++);
            if (r.ok()) {
                out.set(i, out.get(i).with(Outcome.FREED, null));
            } else {
                store.runs().release(t.runKey());
                out.set(i, out.get(i).with(Outcome.FAILED, r.fault().toString()));
            }
        }
        return out;
    }

    private List<Verdict> autoStart(HubSession hub, FleetSnapshot s) {
        WatchdogConfig.Drain d = config.drain();
        Set<Long> active = new HashSet<>();
        store.drains().list(true).forEach(r -> active.add(r.hostId()));
        Map<String, String> flagged = new LinkedHashMap<>();
        for (String name : d.autoHosts()) {
            flagged.put(name, "listed in auto_drain_hosts");
        }
        for (Host h : s.hosts()) {
            if (!flagged.containsKey(h.name()) && h.enabled()) {
                int stale = store.trail().staleCycles(h.name(), d.autoWindow());
                if (stale >= d.autoStaleCount()) {
                    flagged.put(h.name(), "freed for staleness in " + stale + " cycles within "
                            + d.autoWindow().toSeconds() + " s");
                }
            }
        }
        flagged.putAll(failingHosts(hub, s));
        List<Verdict> out = new ArrayList<>();
        if (flagged.isEmpty()) {
            return out;
        }
        Map<Long, List<String>> channels = channels(hub, s, flagged.keySet(), active);
        Map<String, Integer> perChannel = new HashMap<>();
        for (long id : active) {
            channels.getOrDefault(id, List.of()).forEach(c -> perChannel.merge(c, 1, Integer::sum));
        }
        for (Map.Entry<String, String> f : flagged.entrySet()) {
            Host h = s.host(f.getKey());
            if (h == null || active.contains(h.id())) {
                continue;
            }
            List<String> mine = channels.getOrDefault(h.id(), List.of());
            String full = mine.stream().filter(c -> perChannel.getOrDefault(c, 0) >= d.maxDrainsPerChannel())
                    .findFirst().orElse(null);
            if (full != null) {
                out.add(new Verdict(new Decision(Rule.DRAIN, h, null, f.getValue() + "; channel " + full + " already has "
                        + d.maxDrainsPerChannel() + " draining host(s)", Action.NONE), Outcome.RATE_LIMITED, null));
                continue;
            }
            out.add(start(hub, s, h, d.defaultDeadline(), "auto: " + f.getValue()));
            mine.forEach(c -> perChannel.merge(c, 1, Integer::sum));
            active.add(h.id());
            LOG.info("[host={}] auto drain started: {}", h.name(), f.getValue());
        }
        return out;
    }

    /** Hosts whose finished tasks within the window all failed, at least auto_drain_fail_count of them. */
    private Map<String, String> failingHosts(HubSession hub, FleetSnapshot s) {
        WatchdogConfig.Drain d = config.drain();
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("state", List.of((long) Task.CLOSED, (long) Task.FAILED));
        opts.put("completeAfter", s.hubNow() - d.autoWindow().toSeconds());
        Object answer = hub.call(new KojiCall("listTasks", List.of(opts), Map.of()));
        Map<Long, int[]> counts = new HashMap<>(); // host → {failed, closed}
        for (Object o : (List<?>) answer) {
            Map<?, ?> m = (Map<?, ?>) o;
            if (m.get("host_id") instanceof Number host) {
                int[] c = counts.computeIfAbsent(host.longValue(), k -> new int[2]);
                c[((Number) m.get("state")).intValue() == Task.FAILED ? 0 : 1]++;
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        Map<Long, Host> hosts = s.hostsById();
        counts.forEach((id, c) -> {
            Host h = hosts.get(id);
            if (h != null && h.enabled() && c[1] == 0 && c[0] >= d.autoFailCount()) {
                out.put(h.name(), "failed all " + c[0] + " tasks it finished within " + d.autoWindow().toSeconds() + " s");
            }
        });
        return out;
    }

    private Map<Long, List<String>> channels(HubSession hub, FleetSnapshot s, Set<String> names, Set<Long> active) {
        List<Long> ids = new ArrayList<>(active);
        for (String n : names) {
            Host h = s.host(n);
            if (h != null && !ids.contains(h.id())) {
                ids.add(h.id());
            }
        }
        List<KojiCall> calls = new ArrayList<>();
        ids.forEach(id -> calls.add(new KojiCall("listChannels", List.of(), Map.of("hostID", id))));
        List<MulticallResult> results = hub.multicall(calls);
        Map<Long, List<String>> out = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            List<String> names2 = new ArrayList<>();
            if (results.get(i).ok() && results.get(i).value() instanceof List<?> l) {
                l.forEach(c -> names2.add(String.valueOf(((Map<?, ?>) c).get("name"))));
            }
            out.put(ids.get(i), names2);
        }
        return out;
    }
}

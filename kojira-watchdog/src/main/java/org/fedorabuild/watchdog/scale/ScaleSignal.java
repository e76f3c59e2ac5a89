package org.fedorabuild.watchdog.scale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.fedorabuild.compat.client.MulticallResult;
import org.fedorabuild.compat.wire.KojiCall;
import org.fedorabuild.watchdog.cycle.WatchdogCycle;
import org.fedorabuild.watchdog.detect.Rules;
import org.fedorabuild.watchdog.guard.Verdict;
import org.fedorabuild.watchdog.hub.FleetSnapshot;
import org.fedorabuild.watchdog.hub.Host;
import org.fedorabuild.watchdog.hub.HubSession;
import org.fedorabuild.watchdog.metrics.WatchdogMetrics;

/**
 * The autoscaler's signal: per channel and arch, tasks waiting (FREE) against free capacity (capacity minus
 * load of enabled, ready, live hosts of that channel supporting that arch; {@code noarch} fits every host).
 * Costs two requests whatever the fleet size: {@code multiCall [listTasks({'state': [FREE]}), listChannels()]}
 * and {@code multiCall [listHosts(channelID=c) …]}. Exported as metrics; {@code status --scale} prints it.
 */
public final class ScaleSignal implements WatchdogCycle.Step {
    private final Duration hostGrace;
    private final WatchdogMetrics metrics;

    private final ScaleCommand command;

    public ScaleSignal(Duration hostGrace, WatchdogMetrics metrics) {
        this(hostGrace, metrics, null);
    }

    /** @param command runs {@code scale_command} when the signal says builders are short (null: signal only) */
    public ScaleSignal(Duration hostGrace, WatchdogMetrics metrics, ScaleCommand command) {
        this.hostGrace = hostGrace;
        this.metrics = metrics;
        this.command = command;
    }

    /** One row of the signal. */
    public record Row(String channel, String arch, int queued, double freeCapacity) {
    }

    @Override
    public List<Verdict> run(HubSession hub, FleetSnapshot s, boolean mayAct) {
        List<Row> rows = compute(hub, s);
        if (metrics != null) {
            for (Row r : rows) {
                metrics.scale(r.channel(), r.arch(), r.queued(), r.freeCapacity());
            }
        }
        if (command != null && mayAct) {
            command.act(rows, java.time.Instant.ofEpochMilli((long) (s.hubNow() * 1000)));
        }
        return List.of();
    }

    public List<Row> compute(HubSession hub, FleetSnapshot s) {
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("state", List.of(0L));
        List<MulticallResult> first = hub.multicall(List.of(new KojiCall("listTasks", List.of(opts), Map.of()),
                KojiCall.of("listChannels")), 10);
        List<?> free = (List<?>) first.get(0).get();
        List<?> channels = (List<?>) first.get(1).get();
        Map<Long, String> channelNames = new TreeMap<>();
        for (Object o : channels) {
            Map<?, ?> c = (Map<?, ?>) o;
            channelNames.put(((Number) c.get("id")).longValue(), String.valueOf(c.get("name")));
        }
        List<KojiCall> calls = new ArrayList<>();
        channelNames.keySet().forEach(id -> calls.add(new KojiCall("listHosts", List.of(), Map.of("channelID", id))));
        List<MulticallResult> members = hub.multicall(calls);
        Map<Long, Host> hosts = s.hostsById();
        Map<String, Row> rows = new TreeMap<>();
        int i = 0;
        for (Map.Entry<Long, String> c : channelNames.entrySet()) {
            Set<String> arches = new HashSet<>();
            arches.add("noarch");
            double[] freeAll = new double[1];
            Map<String, Double> perArch = new HashMap<>();
            for (Object o : (List<?>) members.get(i++).get()) {
                Host h = hosts.get(((Number) ((Map<?, ?>) o).get("id")).longValue());
                if (h == null || !h.enabled() || !h.ready() || Rules.isStale(h, s.hubNow(), hostGrace)) {
                    continue;
                }
                double room = Math.max(0, h.capacity() - h.taskLoad());
                freeAll[0] += room;
                for (String a : h.arches() == null ? new String[0] : h.arches().split("\\s+")) {
                    arches.add(a);
                    perArch.merge(a, room, Double::sum);
                }
            }
            for (String a : arches) {
                double cap = a.equals("noarch") ? freeAll[0] : perArch.getOrDefault(a, 0.0);
                rows.put(c.getValue() + "/" + a, new Row(c.getValue(), a, 0, cap));
            }
        }
        for (Object o : free) {
            Map<?, ?> t = (Map<?, ?>) o;
            String ch = channelNames.get(((Number) t.get("channel_id")).longValue());
            String key = ch + "/" + t.get("arch");
            Row r = rows.get(key);
            rows.put(key, r == null ? new Row(ch, String.valueOf(t.get("arch")), 1, 0) : new Row(r.channel(), r.arch(),
                    r.queued() + 1, r.freeCapacity()));
        }
        return new ArrayList<>(rows.values());
    }
}

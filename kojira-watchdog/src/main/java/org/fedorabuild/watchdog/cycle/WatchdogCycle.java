package org.fedorabuild.watchdog.cycle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import org.fedorabuild.compat.client.KojiConnectionException;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.watchdog.action.HubActions;
import org.fedorabuild.watchdog.audit.AuditStore;
import org.fedorabuild.watchdog.config.WatchdogConfig;
import org.fedorabuild.watchdog.detect.Action;
import org.fedorabuild.watchdog.detect.Decision;
import org.fedorabuild.watchdog.detect.Memory;
import org.fedorabuild.watchdog.detect.Rule;
import org.fedorabuild.watchdog.detect.Rules;
import org.fedorabuild.watchdog.guard.Guards;
import org.fedorabuild.watchdog.guard.Outcome;
import org.fedorabuild.watchdog.guard.OutageView;
import org.fedorabuild.watchdog.guard.Verdict;
import org.fedorabuild.watchdog.hub.FleetSnapshot;
import org.fedorabuild.watchdog.hub.HubReadException;
import org.fedorabuild.watchdog.hub.HubSession;
import org.fedorabuild.watchdog.hub.SnapshotReader;
import org.fedorabuild.watchdog.hub.Task;
import org.fedorabuild.watchdog.metrics.WatchdogMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watchdog cycle: log in, read a complete snapshot, judge it with the rules, pass the decisions through
 * the guards, act on what is left (unless dry run), step the drains, and write everything to the audit table.
 * An unreachable hub opens an outage; a partial answer judges nothing. One log line per decision, subject
 * first: {@code [host=builder1] [task=17] freed: silent 1020 s > host_grace 900 s}.
 */
public final class WatchdogCycle {
    private static final Logger LOG = LoggerFactory.getLogger(WatchdogCycle.class);

    /** Work a cycle delegates once it has a complete snapshot (drains); returns its own verdicts. */
    public interface Step {
        List<Verdict> run(HubSession hub, FleetSnapshot snapshot, boolean mayAct);
    }

    private final WatchdogConfig config;
    private final AuditStore store;
    private final WatchdogMetrics metrics;
    private final Function<WatchdogConfig.Hub, HubSession> connect;
    private final List<Step> steps = new ArrayList<>();

    public WatchdogCycle(WatchdogConfig config, AuditStore store, WatchdogMetrics metrics) {
        this(config, store, metrics, HubSession::open);
    }

    public WatchdogCycle(WatchdogConfig config, AuditStore store, WatchdogMetrics metrics,
            Function<WatchdogConfig.Hub, HubSession> connect) {
        this.config = config;
        this.store = store;
        this.metrics = metrics;
        this.connect = connect;
    }

    public WatchdogCycle withStep(Step step) {
        steps.add(step);
        return this;
    }

    public WatchdogConfig config() {
        return config;
    }

    public CycleReport run() {
        String cycleId = UUID.randomUUID().toString().substring(0, 8);
        long t0 = System.nanoTime();
        HubSession hub = null;
        try {
            hub = connect.apply(config.hub());
            FleetSnapshot s = new SnapshotReader(hub).read();
            CycleReport r = judge(cycleId, hub, s, t0);
            return r;
        } catch (HubReadException e) {
            return failed(cycleId, e.kind() == HubReadException.Kind.UNREACHABLE ? CycleReport.Status.UNREACHABLE
                    : CycleReport.Status.INCOMPLETE, e.getMessage(), hub, t0);
        } catch (KojiConnectionException e) {
            // A refused handshake is most often our own configuration, not the hub: say where to look.
            String hint = e.getCause() instanceof SSLException ? "; TLS failed: check serverca (the CA that signed the"
                    + " hub's certificate) and cert" : "";
            return failed(cycleId, CycleReport.Status.UNREACHABLE, "hub unreachable: " + e.getMessage() + hint, hub, t0);
        } catch (KojiFault e) {
            return failed(cycleId, CycleReport.Status.INCOMPLETE, "hub refused: " + e, hub, t0);
        } finally {
            if (hub != null) {
                try {
                    hub.close();
                } catch (RuntimeException e) {
                    LOG.debug("logout failed: {}", e.toString());
                }
            }
        }
    }

    private CycleReport failed(String cycleId, CycleReport.Status status, String problem, HubSession hub, long t0) {
        double secs = (System.nanoTime() - t0) / 1e9;
        int requests = hub == null ? 0 : hub.requests();
        List<Verdict> verdicts = List.of(new Verdict(new Decision(Rule.GUARD, null, null,
                "hub could not be read fully (" + problem + "); judging nothing", Action.NONE), Outcome.REPORTED, null));
        if (status == CycleReport.Status.UNREACHABLE) {
            if (store.outages().open("unreachable", null, problem)) {
                LOG.warn("Outage: hub {} unreachable, recorded; no host will be judged until it is back and the"
                        + " warm-up of {} s has passed", config.hub().server(), config.policy().outageWarmup().toSeconds());
            }
        }
        store.trail().record(cycleId, Double.NaN, verdicts);
        if (metrics != null) {
            metrics.error(status == CycleReport.Status.UNREACHABLE ? "unreachable" : "incomplete");
        }
        LOG.warn("Cycle {} judged nothing: {}", cycleId, problem);
        return new CycleReport(cycleId, status, problem, null, null, verdicts, requests, secs);
    }

    private CycleReport judge(String cycleId, HubSession hub, FleetSnapshot s, long t0) {
        WatchdogConfig.Policy p = config.policy();
        double now = s.hubNow();
        Memory memory = store.memory().load(s);
        Map<Long, Double> progress = progress(hub, s, memory);
        Rules.Evaluation eval = Rules.evaluate(s, memory, p, progress);

        String open = store.outages().openKind();
        if ("unreachable".equals(open) && store.outages().close("unreachable", now)) {
            LOG.info("Outage over: hub answered again at hub time {}; warm-up of {} s before judging hosts", (long) now,
                    p.outageWarmup().toSeconds());
        }
        if (Guards.allSilent(eval)) {
            if (store.outages().open("all-silent", now, "all " + eval.enabledSeen() + " enabled hosts silent at once")) {
                LOG.warn("Outage: all {} enabled hosts silent at once (hub-side outage?); recorded", eval.enabledSeen());
            }
        } else if ("all-silent".equals(open) && eval.staleFraction() <= p.maxStaleFraction()
                && store.outages().close("all-silent", now)) {
            LOG.info("Outage over: {} of {} enabled hosts checking in again; warm-up of {} s", eval.enabledSeen()
                    - eval.staleEnabled(), eval.enabledSeen(), p.outageWarmup().toSeconds());
        }
        OutageView outage = store.outages().view();
        List<Verdict> verdicts = Guards.apply(eval, memory, p, outage, now);
        if (!p.dryRun()) {
            verdicts = new HubActions(hub, store).execute(verdicts);
        }
        boolean mayAct = !p.dryRun() && verdicts.stream().noneMatch(v -> v.outcome() == Outcome.GUARD_STALE_FRACTION
                || v.outcome() == Outcome.GUARD_WARMUP) && eval.staleFraction() <= p.maxStaleFraction();
        List<Verdict> all = new ArrayList<>(verdicts);
        for (Step step : steps) {
            all.addAll(step.run(hub, s, mayAct));
        }
        store.memory().remember(s, p.hostGrace(), memory.fenced().keySet());
        store.trail().record(cycleId, now, all);
        for (Verdict v : all) {
            log(v);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (metrics != null) {
            metrics.cycle(s.hosts().size(), eval.staleHosts().size(), s.tasks().size(), secs, hub.requests(), now, all);
        }
        CycleReport report = new CycleReport(cycleId, CycleReport.Status.COMPLETE, null, s, eval, all, hub.requests(), secs);
        LOG.info("{}", report.summary());
        return report;
    }

    /** Last output progress (hub clock) of the hung-task candidates; reads their output only. */
    private Map<Long, Double> progress(HubSession hub, FleetSnapshot s, Memory memory) {
        List<Long> candidates = Rules.hungCandidates(s, memory, config.policy());
        Map<Long, Double> out = new HashMap<>();
        if (candidates.isEmpty()) {
            return out;
        }
        Map<Long, SnapshotReader.TaskOutput> outputs = new SnapshotReader(hub).taskOutputs(candidates);
        Map<Long, Task> tasks = new HashMap<>();
        s.tasks().forEach(t -> tasks.put(t.id(), t));
        for (long id : candidates) {
            Task t = tasks.get(id);
            SnapshotReader.TaskOutput o = outputs.get(id);
            double last = t.startTs();
            if (o.newestMtime() != null) {
                last = Math.max(last, o.newestMtime());
            }
            Double grew = store.memory().noteOutput(id, t.hostId(), o.bytes(), s.hubNow());
            if (grew != null) {
                last = Math.max(last, grew);
            }
            out.put(id, last);
        }
        return out;
    }

    private static void log(Verdict v) {
        Decision d = v.decision();
        String subject = (d.host() == null ? "" : "[host=" + d.host().name() + "] ")
                + (d.task() == null ? "" : "[task=" + d.task().id() + "] ");
        String outcome = v.detail() == null ? v.outcome().label() : v.outcome().label() + " (" + v.detail() + ")";
        if (v.outcome() == Outcome.FAILED) {
            LOG.warn("{}{} {}: {}: {}", subject, d.rule().label(), d.action().label(), outcome, d.evidence());
        } else {
            LOG.info("{}{}: {} [{} {}]", subject, outcome, d.evidence(), d.rule().label(), d.action().label());
        }
    }
}

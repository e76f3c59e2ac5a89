package org.fedorabuild.hub.chain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.hub.build.BuildSubmission;
import org.fedorabuild.hub.chain.ChainProgress.State;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.schedule.Periodic;
import org.fedorabuild.hub.task.TaskOutputs;
import org.fedorabuild.hub.task.TaskPayloads;
import org.fedorabuild.hub.task.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Advances chain builds, every {@code DispatchInterval}, from their rows alone (so a restarted hub simply
 * continues). An unordered chain first waits for the SRPMs of its SCM sources, then has their
 * dependencies read on a builder ({@code readSrpmDeps}); from then on each chain is a {@link ChainProgress}.
 * A member counts as BUILT once its {@code build} task closed AND every chroot repository it went into has
 * been regenerated and published, so its dependants (started only then) build against the published
 * repository. Ready members start in {@link ChainPriority} order (expected build times from the hub's history,
 * {@link ChainEstimates}), no more in flight than {@link ChainPacing} allows, so the dispatcher's queue keeps
 * that order. Events go to the chain task's {@code chain.log}
 * ({@code koji watch-logs}); the final summary becomes its result (or BuildError fault).
 */
public final class ChainDriver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChainDriver.class);

    private final Db db;
    private final Tasks tasks;
    private final BuildSubmission submission;
    private final TaskOutputs outputs;
    private final Map<Integer, Loaded> cache = new ConcurrentHashMap<>();
    private Periodic loop;

    /** A chain in memory: its plan, progress, and member rows by index. */
    private record Loaded(ChainPlan plan, ChainProgress progress, List<Map<String, Object>> members) {
    }

    public ChainDriver(Db db, Tasks tasks, BuildSubmission submission, TaskOutputs outputs) {
        this.db = db;
        this.tasks = tasks;
        this.submission = submission;
        this.outputs = outputs;
    }

    public void start(Duration interval) {
        start(interval, null);
    }

    /** @param elected the duty a round needs (several hubs: one drives the chains at a time); null: always */
    public void start(Duration interval, org.fedorabuild.hub.cluster.Elected elected) {
        loop = Periodic.every("chain-driver", interval, interval, () -> {
            if (elected == null || elected.leading()) {
                round();
            } else {
                cache.clear(); // another hub advances the chains meanwhile
            }
        });
    }

    /** One pass over the active chains; public for tests. */
    public void round() {
        for (var c : db.query("SELECT task_id FROM chains WHERE state IN ('PLANNING', 'BUILDING') ORDER BY task_id")) {
            int id = (Integer) c.get("task_id");
            try {
                db.tx(() -> {
                    advance(id);
                    return null;
                });
            } catch (RuntimeException e) {
                cache.remove(id);
                LOG.warn("Chain {} - round failed: {}", id, e.toString(), e);
            }
        }
    }

    private void advance(int id) throws IOException {
        var ch = db.queryOne("SELECT * FROM chains WHERE task_id = ? FOR UPDATE", id).orElseThrow();
        int parentState = (Integer) db.scalar("SELECT state FROM tasks WHERE id = ?", id).orElseThrow();
        if (parentState != Tasks.OPEN) {
            db.update("UPDATE chains SET state = 'CANCELED', completion_time = now(), message = ? WHERE task_id = ?",
                    "the chain task was " + Tasks.STATE_NAMES.get(parentState).toLowerCase(), id);
            cache.remove(id);
            log(id, "chain task " + Tasks.STATE_NAMES.get(parentState).toLowerCase() + ": chain stopped");
            return;
        }
        if ("PLANNING".equals(ch.get("state")) && !plan(ch)) {
            return;
        }
        build(db.queryOne("SELECT * FROM chains WHERE task_id = ?", id).orElseThrow());
    }

    /** @return true when the chain is now BUILDING */
    private boolean plan(Map<String, Object> ch) throws IOException {
        int id = (Integer) ch.get("task_id");
        boolean waiting = false;
        for (var m : db.query("SELECT idx, srpm_task_id FROM chain_members WHERE chain_id = ? AND srpm IS NULL"
                + " AND srpm_task_id IS NOT NULL AND state = 'WAITING'", id)) {
            var t = db.queryOne("SELECT state, result FROM tasks WHERE id = ?", m.get("srpm_task_id")).orElseThrow();
            int st = (Integer) t.get("state");
            if (st == Tasks.CLOSED) {
                Object srpm = ((Map<?, ?>) TaskPayloads.decodeResult((String) t.get("result"))).get("srpm");
                db.update("UPDATE chain_members SET srpm = ? WHERE chain_id = ? AND idx = ?", srpm, id, m.get("idx"));
            } else if (st == Tasks.FAILED || st == Tasks.CANCELED) {
                db.update("UPDATE chain_members SET state = 'FAILED', reason = ? WHERE chain_id = ? AND idx = ?",
                        "making the SRPM failed: " + faultOf((String) t.get("result")), id, m.get("idx"));
            } else {
                waiting = true;
            }
        }
        if (waiting) {
            return false;
        }
        Integer depsTask = (Integer) ch.get("deps_task_id");
        if (depsTask == null) {
            List<String> srpms = new ArrayList<>();
            for (var m : db.query("SELECT srpm FROM chain_members WHERE chain_id = ? AND srpm IS NOT NULL AND state = 'WAITING'"
                    + " ORDER BY idx", id)) {
                srpms.add((String) m.get("srpm"));
            }
            if (!srpms.isEmpty()) {
                var p = db.queryOne("SELECT owner, priority, project_id FROM tasks WHERE id = ?", id).orElseThrow();
                int t = tasks.create((Integer) p.get("owner"), ChainDeps.METHOD, "noarch", (Integer) p.get("priority"),
                        TaskPayloads.encodeRequest(ChainDeps.METHOD, List.of(srpms, ch.get("build_tag")), Map.of()), id, "deps",
                        (Integer) p.get("project_id"));
                db.update("UPDATE chains SET deps_task_id = ? WHERE task_id = ?", t, id);
                log(id, "reading the BuildRequires and provides of " + srpms.size() + " SRPM(s) on a builder (task " + t + ")");
                return false;
            }
        } else {
            var t = db.queryOne("SELECT state, result FROM tasks WHERE id = ?", depsTask).orElseThrow();
            int st = (Integer) t.get("state");
            if (st == Tasks.FAILED || st == Tasks.CANCELED) {
                String why = "reading SRPM dependencies failed: " + faultOf((String) t.get("result"));
                db.update("UPDATE chain_members SET state = 'FAILED', reason = ? WHERE chain_id = ? AND state = 'WAITING'", why, id);
                db.update("UPDATE chains SET message = ? WHERE task_id = ?", why, id);
            } else if (st != Tasks.CLOSED) {
                return false;
            } else {
                for (Object o : (List<?>) TaskPayloads.decodeResult((String) t.get("result"))) {
                    Map<?, ?> d = (Map<?, ?>) o;
                    db.update("UPDATE chain_members SET nvr = ?, provides = ?, build_requires = ? WHERE chain_id = ? AND srpm = ?",
                            d.get("name") + "-" + d.get("version") + "-" + d.get("release"), join(d.get("provides")),
                            join(d.get("buildrequires")), id, d.get("srpm"));
                }
            }
        }
        db.update("UPDATE chains SET state = 'BUILDING' WHERE task_id = ?", id);
        return true;
    }

    private static String join(Object list) {
        return String.join("\n", ((List<?>) list).stream().map(String::valueOf).toList());
    }

    private Loaded load(Map<String, Object> ch) {
        int id = (Integer) ch.get("task_id");
        boolean ordered = (Boolean) ch.get("ordered");
        List<Map<String, Object>> members = db.query("SELECT * FROM chain_members WHERE chain_id = ? ORDER BY idx", id);
        List<SourcePackage> pkgs = new ArrayList<>();
        for (var m : members) {
            String source = (String) m.get("source");
            if (ordered) {
                int level = (Integer) m.get("level");
                pkgs.add(new SourcePackage(source, shortName(source), new Evr(0, "", null),
                        List.of(Capability.unversioned("copr-chain-level(" + level + ")")),
                        level == 0 ? List.of() : List.of(Capability.unversioned("copr-chain-level(" + (level - 1) + ")"))));
                continue;
            }
            String nvr = (String) m.get("nvr");
            String name = nvr != null ? nvr : shortName(source);
            Evr evr = new Evr(0, "", null);
            if (nvr != null && nvr.lastIndexOf('-') > 0 && nvr.lastIndexOf('-', nvr.lastIndexOf('-') - 1) > 0) {
                int r = nvr.lastIndexOf('-');
                int v = nvr.lastIndexOf('-', r - 1);
                name = nvr.substring(0, v);
                evr = new Evr(0, nvr.substring(v + 1, r), nvr.substring(r + 1));
            }
            pkgs.add(new SourcePackage(source, name, evr, caps(m.get("provides")), caps(m.get("build_requires"))));
        }
        ChainPlan plan = ChainPlan.of(pkgs);
        double[] expected = ChainEstimates.buildSeconds(db, pkgs.stream().map(SourcePackage::name).toList());
        double lag = ChainEstimates.publicationLag(db);
        ChainPriority priority = ChainPriority.of(plan, expected, lag);
        long known = Arrays.stream(expected).filter(Double::isFinite).count();
        log(id, "order: build times known from past builds for " + known + " of " + pkgs.size() + " package(s)"
                + (Double.isNaN(lag) ? "" : String.format(java.util.Locale.ROOT, ", publication lag %.0f s", lag))
                + (known == 0 ? "; ordered by the number of packages on the longest path"
                        : String.format(java.util.Locale.ROOT, "; longest expected path %.0f min",
                                java.util.stream.IntStream.range(0, pkgs.size()).mapToDouble(priority::bottomLevel).max().orElse(0) / 60)));
        ChainProgress progress = new ChainProgress(plan, priority,
                "retry".equals(ch.get("cycles")) ? ChainProgress.CyclePolicy.RETRY : ChainProgress.CyclePolicy.FAIL,
                (Integer) ch.get("cycle_attempts"));
        for (int i = 0; i < members.size(); i++) {
            var m = members.get(i);
            // a fresh chain's rows are all WAITING: keep what the plan decided (cycles failed, their dependants skipped)
            if (!"WAITING".equals(m.get("state")) || (Integer) m.get("attempts") > 0) {
                progress.restore(i, State.valueOf((String) m.get("state")), (String) m.get("reason"), (Integer) m.get("attempts"));
            }
        }
        for (int[] cycle : plan.cycles()) {
            log(id, "dependency cycle: " + plan.describeCycle(cycle) + " (" + ch.get("cycles") + ")");
        }
        return new Loaded(plan, progress, members);
    }

    private static List<Capability> caps(Object text) {
        if (text == null || ((String) text).isEmpty()) {
            return List.of();
        }
        return Arrays.stream(((String) text).split("\n")).map(ChainDeps::decode).toList();
    }

    /** {@code git+https://host/rpms/foo.git#abc} → {@code foo}; an upload path → the SRPM file name. */
    static String shortName(String source) {
        String s = source.replaceAll("[?#].*$", "").replaceAll("/+$", "");
        s = s.substring(s.lastIndexOf('/') + 1);
        return s.replaceAll("\\.git$", "");
    }

    private void build(Map<String, Object> ch) throws IOException {
        int id = (Integer) ch.get("task_id");
        Loaded l = cache.computeIfAbsent(id, k -> load(ch));
        ChainProgress p = l.progress();
        for (int i = 0; i < l.members().size(); i++) {
            if (p.state(i) != State.RUNNING) {
                continue;
            }
            Integer bt = (Integer) l.members().get(i).get("build_task_id");
            var t = bt == null ? null : db.queryOne("SELECT state, result FROM tasks WHERE id = ?", bt).orElse(null);
            if (t == null) {
                p.finished(i, false, "its build task is missing");
                continue;
            }
            int st = (Integer) t.get("state");
            if (st == Tasks.CLOSED && unpublished(bt) == 0) {
                p.finished(i, true, null);
                log(id, "built " + l.plan().packages().get(i).nvr() + " (task " + bt + ", published)");
            } else if (st == Tasks.FAILED || st == Tasks.CANCELED) {
                String why = st == Tasks.CANCELED ? "build task " + bt + " was canceled" : faultOf((String) t.get("result"));
                p.finished(i, false, why);
                log(id, "failed " + l.plan().packages().get(i).nvr() + " (task " + bt + "): " + why);
            }
        }
        int slots = slots(id);
        List<Integer> started = p.finished() ? List.of() : p.start(slots);
        for (int i : started) {
            int bt = startBuild(ch, l.members().get(i), p.attempts(i));
            l.members().get(i).put("build_task_id", bt);
            log(id, "started " + l.plan().packages().get(i).nvr() + " (task " + bt + ", attempt " + p.attempts(i) + ")");
        }
        persist(id, l);
        if (p.finished()) {
            finish(id, l);
        }
    }

    /** buildArch results of a build task whose repository is not published yet. */
    private long unpublished(int buildTask) {
        return ((Number) db.scalar("SELECT count(*) FROM build_results br JOIN tasks t ON t.id = br.task_id WHERE t.parent = ?"
                + " AND NOT br.published", buildTask).orElse(0L)).longValue();
    }

    /**
     * How many members may start now ({@link ChainPacing}): the enabled builders' capacity and that of pool
     * builders still starting (counted as large as the largest host, so a growing pool never waits on a chain
     * that underestimates it), against the weight of this chain's builds in flight.
     */
    private int slots(int id) {
        double capacity = ((Number) db.scalar("SELECT COALESCE(sum(capacity), 0) FROM hosts WHERE enabled").orElse(0.0)).doubleValue()
                + ((Number) db.scalar("SELECT count(*) * COALESCE((SELECT max(capacity) FROM hosts), 1.0) FROM pool_builders"
                        + " WHERE state = 'starting'").orElse(0.0)).doubleValue();
        double inFlight = ((Number) db.scalar("SELECT COALESCE(sum(t.weight), 0) FROM tasks t JOIN tasks b ON b.id = t.parent"
                + " WHERE b.parent = ? AND t.state IN (" + Tasks.FREE + ", " + Tasks.ASSIGNED + ", " + Tasks.OPEN + ")", id)
                .orElse(0.0)).doubleValue();
        return ChainPacing.slots(capacity, inFlight);
    }

    private int startBuild(Map<String, Object> ch, Map<String, Object> m, int attempt) throws IOException {
        int id = (Integer) ch.get("task_id");
        var parent = db.queryOne("SELECT owner, priority, project_id FROM tasks WHERE id = ?", id).orElseThrow();
        int owner = (Integer) parent.get("owner");
        int prio = (Integer) parent.get("priority");
        int project = (Integer) parent.get("project_id");
        @SuppressWarnings("unchecked")
        Map<String, Object> opts = (Map<String, Object>) TaskPayloads.decodeRequest((String) ch.get("opts")).get(0);
        int idx = (Integer) m.get("idx");
        String label;
        if (Boolean.TRUE.equals(ch.get("ordered"))) {
            int level = (Integer) m.get("level");
            int first = ((Number) db.scalar("SELECT min(idx) FROM chain_members WHERE chain_id = ? AND level = ?", id, level)
                    .orElseThrow()).intValue();
            label = "build " + level + "," + (idx - first); // as Koji labels a chainbuild's children
        } else {
            label = "build " + idx;
        }
        if (attempt > 1) {
            label += " #" + attempt;
        }
        String source = (String) m.get("source");
        int bt = tasks.create(owner, "build", "noarch", prio, TaskPayloads.encodeRequest("build",
                new ArrayList<>(List.of(source, ch.get("target"), opts)), Map.of()), id, label, project);
        db.update("UPDATE tasks SET state = ?, start_time = now() WHERE id = ?", Tasks.OPEN, bt);
        String srpm = (String) m.get("srpm");
        if (srpm != null) {
            Path from = outputs.resolve(srpm);
            Path dest = outputs.dir(bt).resolve(from.getFileName().toString());
            Files.createDirectories(dest.getParent());
            Files.copy(from, dest, StandardCopyOption.REPLACE_EXISTING);
            submission.createArchTasks(bt, owner, prio, project, TaskOutputs.relativeDir(bt) + "/" + dest.getFileName(),
                    submission.chroots((Integer) ch.get("build_tag"), opts), opts);
        } else {
            tasks.create(owner, "buildSRPMFromSCM", "noarch", prio, TaskPayloads.encodeRequest("buildSRPMFromSCM",
                    List.of(source, ch.get("build_tag"), opts), Map.of()), bt, "srpm", project);
        }
        return bt;
    }

    private void persist(int id, Loaded l) {
        ChainProgress p = l.progress();
        for (int i = 0; i < l.members().size(); i++) {
            var m = l.members().get(i);
            String st = p.state(i) == State.READY ? "WAITING" : p.state(i).name();
            if (!st.equals(m.get("state")) || !java.util.Objects.equals(p.reason(i), m.get("reason"))
                    || p.attempts(i) != (Integer) m.get("attempts") || m.containsKey("dirty")) {
                db.update("UPDATE chain_members SET state = ?, reason = ?, attempts = ?, build_task_id = ? WHERE chain_id = ?"
                        + " AND idx = ?", st, p.reason(i), p.attempts(i), m.get("build_task_id"), id, m.get("idx"));
                m.put("state", st);
                m.put("reason", p.reason(i));
                m.put("attempts", p.attempts(i));
            }
        }
    }

    private void finish(int id, Loaded l) {
        ChainProgress p = l.progress();
        int n = l.members().size();
        long built = p.count(State.BUILT);
        String message = built == n ? "all " + n + " package(s) built" : (n - built) + " of " + n + " package(s) not built";
        db.update("UPDATE chains SET state = ?, message = ?, completion_time = now() WHERE task_id = ?",
                built == n ? "DONE" : "FAILED", message, id);
        Map<String, Object> status = ChainStatus.of(db, id).orElseThrow();
        if (built == n) {
            db.update("UPDATE tasks SET state = ?, result = ?, completion_time = now() WHERE id = ?", Tasks.CLOSED,
                    TaskPayloads.encodeResult(status), id);
        } else {
            List<String> why = new ArrayList<>();
            for (Object o : (List<?>) status.get("failures")) {
                Map<?, ?> f = (Map<?, ?>) o;
                if (why.size() < 20) {
                    why.add(f.get("package") + " " + String.valueOf(f.get("state")).toLowerCase() + ": " + f.get("reason"));
                }
            }
            db.update("UPDATE tasks SET state = ?, result = ?, completion_time = now() WHERE id = ?", Tasks.FAILED,
                    TaskPayloads.encodeFault(1005, "chain " + id + ": " + message + "; " + String.join("; ", why)
                            + (why.size() < n - built ? "; … (copr-hub chain status " + id + ")" : "")), id);
        }
        cache.remove(id);
        log(id, ChainStatus.text(status));
        LOG.info("Chain {} - {}", id, message);
    }

    private static String faultOf(String result) {
        try {
            TaskPayloads.decodeResult(result);
            return "failed";
        } catch (KojiFault f) {
            return f.getMessage();
        } catch (RuntimeException e) {
            return "failed";
        }
    }

    /** Appends to the chain task's chain.log (listTaskOutput, watch-logs). */
    private void log(int id, String line) {
        try {
            Path f = outputs.dir(id).resolve("chain.log");
            Files.createDirectories(f.getParent());
            Files.writeString(f, Instant.now() + " " + line + (line.endsWith("\n") ? "" : "\n"), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warn("Chain {} - cannot write chain.log: {}", id, e.toString());
        }
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }
}

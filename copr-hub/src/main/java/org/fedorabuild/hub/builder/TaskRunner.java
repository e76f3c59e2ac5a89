package org.fedorabuild.hub.builder;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.hub.build.BuildFlow;
import org.fedorabuild.hub.config.BuildSettings;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.scm.ScmSrpmMaker;
import org.fedorabuild.hub.scm.ScmUrl;
import org.fedorabuild.hub.task.TaskOutputs;
import org.fedorabuild.hub.task.TaskPayloads;
import org.fedorabuild.hub.db.DatabaseOutage;
import org.fedorabuild.hub.db.DbException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one OPEN task on its builder: {@code buildSRPMFromSCM} (clone at the commit, sources from the
 * lookaside, {@code rpmbuild -bs}) or {@code buildArch} (the backend's rebuild). The build log is written
 * into the task's output directory as it is produced, so {@code koji watch-logs} follows it; RPMs and logs
 * land there too. The result or fault is Koji-shaped. A builder that drops the connection leaves the task
 * OPEN (see {@link Dispatcher} on the watchdog contract).
 */
public final class TaskRunner {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
    private static final int BUILD_ERROR = 1005;
    /** How long a finished run waits for an unreachable database before its task is left to the watchdog. */
    static final java.time.Duration RECORD_PATIENCE = java.time.Duration.ofMinutes(30);

    private final Db db;
    private final BuildFlow flow;
    private final TaskOutputs outputs;
    private final BuildSettings settings;
    private final org.fedorabuild.hub.chain.Buildroots buildroots;
    private final org.fedorabuild.hub.buildroot.BuildrootRecords records;

    public TaskRunner(Db db, BuildFlow flow, TaskOutputs outputs, BuildSettings settings) {
        this(db, flow, outputs, settings, null);
    }

    /** @param buildroots the project repository and extra repos a buildArch sees (null: none) */
    public TaskRunner(Db db, BuildFlow flow, TaskOutputs outputs, BuildSettings settings,
            org.fedorabuild.hub.chain.Buildroots buildroots) {
        this.db = db;
        this.flow = flow;
        this.outputs = outputs;
        this.settings = settings;
        this.buildroots = buildroots;
        this.records = new org.fedorabuild.hub.buildroot.BuildrootRecords(db);
    }

    private long maxLogBytes = Long.MAX_VALUE;
    private org.fedorabuild.hub.buildroot.BuildRepos buildRepos;

    /** How the rpmbuild backend reads build repositories (the hub's checked HTTP client). */
    public TaskRunner buildRepos(org.fedorabuild.hub.buildroot.BuildRepos repos) {
        this.buildRepos = repos;
        return this;
    }

    /** MaxLogBytes: a longer build log is cut and its task fails. */
    public TaskRunner maxLogBytes(long max) {
        this.maxLogBytes = max;
        return this;
    }

    BuildFlow flow() {
        return flow;
    }

    void run(int taskId, HostDriver host) {
        var t = db.queryOne("SELECT method, arch, request FROM tasks WHERE id = ?", taskId).orElseThrow();
        String method = (String) t.get("method");
        List<Object> req = TaskPayloads.decodeRequest((String) t.get("request"));
        BuildBackend backend = host.backend == null ? BuildBackend.RPMBUILD : host.backend;
        String logName = method.equals("buildArch") && backend == BuildBackend.MOCK ? "mock_output.log" : "build.log";
        Path log = null;
        try {
            Path out = outputs.fresh(taskId);
            log = out.resolve(logName);
            String rel = TaskOutputs.relativeDir(taskId) + "/";
            try (CappedLog logStream = new CappedLog(Files.newOutputStream(log), maxLogBytes)) {
                if (method.equals("buildSRPMFromSCM")) {
                    String chroot = chroot(((Number) req.get(1)).intValue());
                    String source = (String) req.get(0);
                    Path srpm = source.startsWith(org.fedorabuild.hub.scm.SpecSrpmMaker.MARKER)
                            ? new org.fedorabuild.hub.scm.SpecSrpmMaker(host.transport, settings.sandboxLimits()).make(taskId,
                                    specFiles(taskId, source), chroot, out, logStream, settings.buildTimeout())
                            : new ScmSrpmMaker(host.transport, settings.lookasideUrl(), settings.sandboxLimits()).make(taskId,
                                    ScmUrl.parse(source, settings.scmSchemes()), chroot, out, logStream, settings.buildTimeout());
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("srpm", rel + srpm.getFileName());
                    result.put("logs", List.of(rel + logName));
                    result.put("brootid", 0);
                    result.put("source", Map.of("source", req.get(0), "url", req.get(0)));
                    record(taskId, () -> flow.close(taskId, host.id, result, List.of(), rel + srpm.getFileName(), host.fence));
                    return;
                }
                if (method.equals(org.fedorabuild.hub.chain.ChainDeps.METHOD)) {
                    List<Object> deps = org.fedorabuild.hub.chain.ChainDeps.run(host.transport, "deps-" + taskId,
                            req, outputs, chroot(((Number) req.get(1)).intValue()), logStream, settings.buildTimeout());
                    record(taskId, () -> flow.close(taskId, host.id, deps, List.of(), null, host.fence));
                    return;
                }
                String chroot = chroot(((Number) req.get(1)).intValue());
                var root = buildroots == null ? new org.fedorabuild.hub.chain.Buildroots.Buildroot(List.of(), List.of())
                        : buildroots.forChrootTag(((Number) req.get(1)).intValue(), req.size() > 4 ? (Map<?, ?>) req.get(4) : null);
                int tagId = ((Number) req.get(1)).intValue();
                String tagName = (String) db.scalar("SELECT name FROM tags WHERE id = ?", tagId).orElse(chroot);
                int brootId = records.open(taskId, host.id, tagId, (String) t.get("arch"));
                BuildExecution.Outcome outcome;
                Path fetched = Files.createTempDirectory("build-repos-");
                try {
                    Path srpm = outputs.resolve((String) req.get(0));
                    Map<String, String> fromRepos = backend == BuildBackend.RPMBUILD
                            ? fetchBuildRepos(root.repoUrls(), root.extraPackages(), tagName, srpm, fetched, logStream) : Map.of();
                    List<Path> repoRpms;
                    try (var s = Files.list(fetched)) {
                        repoRpms = s.sorted().toList();
                    }
                    outcome = new BuildExecution(host.transport, backend, settings.sandboxLimits()).run(
                            new BuildExecution.Job(taskId, chroot, srpm, settings.buildTimeout(), root.rpms(), root.repoUrls(),
                                    network(tagId), repoRpms, root.extraPackages()), out, logStream);
                    records.close(brootId, out, tagName, fromRepos);
                } finally {
                    records.expire(brootId);
                    try (var s = Files.list(fetched)) {
                        for (Path f : s.toList()) {
                            Files.deleteIfExists(f);
                        }
                    }
                    Files.deleteIfExists(fetched);
                }
                if (logStream.cut()) {
                    flow.fail(taskId, host.id, new KojiFault(BUILD_ERROR, logStream.reason() + " (arch " + t.get("arch") + ", "
                            + chroot + ")"), host.fence);
                    return;
                }
                if (outcome.limitExceeded() != null) {
                    logStream.flush();
                    LOG.info("Task {} - on {}: build stopped, {} exceeded", taskId, host.name, outcome.limitExceeded());
                    flow.fail(taskId, host.id, new KojiFault(BUILD_ERROR, "error building package (arch " + t.get("arch") + ", "
                            + chroot + "): build exceeded its " + outcome.limitExceeded() + "; see " + logName));
                    return;
                }
                if (!outcome.succeeded()) {
                    logStream.flush();
                    KojiFault fault = new KojiFault(BUILD_ERROR, "error building package (arch " + t.get("arch") + ", "
                            + chroot + "), " + backend.name().toLowerCase() + " exited with status " + outcome.exitStatus()
                            + "; see " + logName + tail(log));
                    record(taskId, () -> flow.fail(taskId, host.id, fault, host.fence));
                    return;
                }
                List<RpmHeaders> rpms = new ArrayList<>();
                List<String> rpmPaths = new ArrayList<>();
                List<String> srpmPaths = new ArrayList<>();
                for (Path f : outcome.files()) {
                    if (f.getFileName().toString().endsWith(".rpm")) {
                        RpmHeaders h = RpmHeaders.read(f);
                        rpms.add(h);
                        (h.isSource() ? srpmPaths : rpmPaths).add(rel + f.getFileName());
                    }
                }
                // the spec ran on the builder and may have left any file in its results
                RpmHeaders submitted = RpmHeaders.read(outputs.resolve((String) req.get(0)));
                HeaderRules.checkBuild(rpms, submitted);
                String blocked = org.fedorabuild.hub.build.BuildPolicy.blocked(db, projectOf(taskId), submitted.name());
                if (blocked != null) {
                    throw new IllegalArgumentException(blocked + ": the build is not published");
                }
                List<String> logs = new ArrayList<>();
                for (Path f : outputs.files(taskId)) {
                    if (f.getFileName().toString().endsWith(".log")) {
                        logs.add(rel + f.getFileName());
                    }
                }
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("rpms", rpmPaths);
                result.put("srpms", srpmPaths);
                result.put("logs", logs);
                result.put("brootid", brootId);
                record(taskId, () -> flow.close(taskId, host.id, result, rpms, null, host.fence));
                records.built(brootId, rpms.stream().map(RpmHeaders::sigmd5).toList());
            }
        } catch (BuilderUnreachableException e) {
            host.lost(e);
            LOG.warn("Task {} - left OPEN on {}: {} (the watchdog frees it if the host stays silent)", taskId, host.name,
                    e.getMessage());
        } catch (CommandTimeoutException e) {
            KojiFault fault = new KojiFault(BUILD_ERROR, "build timed out: " + e.getMessage() + tail(log));
            record(taskId, () -> flow.fail(taskId, host.id, fault, host.fence));
        } catch (IOException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                LOG.info("Task {} - run interrupted by hub shutdown; the builder's next driver re-queues it", taskId);
                return;
            }
            if (DatabaseOutage.is(e)) {
                // Not the build's fault: the dispatcher hands the task back to the queue once the database is back.
                throw e instanceof RuntimeException r ? r : new DbException("database outage", e);
            }
            String msg = e instanceof IllegalArgumentException || e instanceof KojiFault ? e.getMessage() : e.toString();
            LOG.info("Task {} - failed on {}: {}", taskId, host.name, msg);
            KojiFault fault = new KojiFault(BUILD_ERROR, msg + tail(log));
            record(taskId, () -> flow.fail(taskId, host.id, fault, host.fence));
        }
    }

    /**
     * Records a run's outcome (one transaction), waiting out a database outage: the build's files are on disk, and
     * its result must neither be lost nor turned into a failure because PostgreSQL was restarting.
     */
    private void record(int taskId, Runnable outcome) {
        try {
            DatabaseOutage.waitOut("recording task " + taskId, RECORD_PATIENCE, () -> {
                outcome.run();
                return null;
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DbException("interrupted while waiting for the database to record task " + taskId, e);
        } catch (Exception e) {
            throw new DbException("cannot record task " + taskId + ": " + e.getMessage(), e);
        }
    }

    /**
     * For the rpmbuild backend: what the build repositories (all but the project's own, whose packages come
     * as files) offer for the SRPM's BuildRequires and the chroot's extra packages, fetched here, outside any build.
     */
    private Map<String, String> fetchBuildRepos(List<String> repoUrls, List<String> extraPackages, String tagName, Path srpm,
            Path into, OutputStream log) throws IOException {
        List<String> repos = repoUrls.stream().filter(u -> !u.endsWith("/results/" + tagName + "/")).toList();
        if (repos.isEmpty()) {
            return Map.of();
        }
        java.io.PrintStream out = new java.io.PrintStream(log, true, StandardCharsets.UTF_8);
        List<org.fedorabuild.hub.chain.Capability> wanted = new ArrayList<>(org.fedorabuild.hub.buildroot.BuildRepos.buildRequires(srpm));
        extraPackages.forEach(p -> wanted.add(org.fedorabuild.hub.chain.Capability.unversioned(p)));
        if (buildRepos == null) {
            throw new IllegalStateException("no build repository reader configured");
        }
        return buildRepos.fetch(repos, wanted, into, out, settings.sandboxLimits().diskBytes());
    }

    /**
     * The spec and Source files of {@code copr-hub-spec:N}: what fetch task N, a closed sibling of this task
     * (so nobody names another build's files), left in its output directory; the spec first.
     */
    private List<Path> specFiles(int taskId, String source) throws IOException {
        int fetchId;
        try {
            fetchId = Integer.parseInt(source.substring(org.fedorabuild.hub.scm.SpecSrpmMaker.MARKER.length()));
        } catch (NumberFormatException e) {
            throw new IOException("invalid spec source '" + source + "'");
        }
        String spec = (String) db.scalar("SELECT f.result FROM tasks f JOIN tasks s ON s.parent = f.parent WHERE f.id = ? AND s.id = ?"
                + " AND f.method = ? AND f.state = ?", fetchId, taskId, org.fedorabuild.hub.source.FetchTasks.METHOD,
                org.fedorabuild.hub.task.Tasks.CLOSED)
                .map(r -> (String) ((Map<?, ?>) TaskPayloads.decodeResult((String) r)).get("spec"))
                .orElseThrow(() -> new IOException("spec source '" + source + "' is not a fetched spec of this build"));
        List<Path> files = new ArrayList<>();
        files.add(outputs.resolve(spec));
        try (var s = Files.list(outputs.dir(fetchId))) {
            s.filter(f -> Files.isRegularFile(f) && !f.equals(files.get(0)) && !f.getFileName().toString().startsWith("."))
                    .sorted().forEach(files::add);
        }
        return files;
    }

    /** Whether the project of tag {@code tagId} lets its builds use the network ({@code enable_net}). */
    private boolean network(int tagId) {
        return Boolean.TRUE.equals(db.scalar("SELECT p.enable_net FROM tags t JOIN projects p ON p.id = t.project_id"
                + " WHERE t.id = ?", tagId).orElse(false));
    }

    private int projectOf(int taskId) {
        return (Integer) db.scalar("SELECT project_id FROM tasks WHERE id = ?", taskId).orElseThrow();
    }

    /** The chroot a task's tag stands for (a project tag: its first chroot, for the SRPM's %dist). */
    private String chroot(int tagId) {
        return (String) db.scalar("SELECT pc.name FROM tags t JOIN project_chroots pc ON pc.project_id = t.project_id"
                + " AND (t.chroot_id IS NULL OR pc.id = t.chroot_id) WHERE t.id = ? ORDER BY pc.name LIMIT 1", tagId)
                .orElseThrow(() -> new IllegalStateException("tag " + tagId + " has no chroot"));
    }

    /** The last lines of the log, so a failure names its cause where the CLI prints it. */
    static String tail(Path log) {
        if (log == null || !Files.isRegularFile(log)) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(0, f.length() - 2048);
            byte[] buf = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(buf);
            List<String> lines = new ArrayList<>();
            for (String l : new String(buf, StandardCharsets.UTF_8).split("\n")) {
                if (!l.isBlank()) {
                    lines.add(l.strip());
                }
            }
            List<String> last = lines.subList(Math.max(0, lines.size() - 3), lines.size());
            return last.isEmpty() ? "" : "; last lines: " + String.join(" | ", last);
        } catch (IOException e) {
            return "";
        }
    }
}

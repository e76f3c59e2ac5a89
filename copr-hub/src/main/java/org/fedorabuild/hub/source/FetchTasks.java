package org.fedorabuild.hub.source;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fedorabuild.hub.build.BuildFlow;
import org.fedorabuild.hub.build.BuildSubmission;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.task.TaskOutputs;
import org.fedorabuild.hub.task.TaskPayloads;
import org.fedorabuild.hub.task.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's own {@value #METHOD} tasks: a build (or chain member) whose source is an http(s) URL gets a
 * child task {@code fetchSource [url]} that the hub runs itself (builders never see it): the file is
 * fetched by {@link SourceFetcher} into the task's output directory, and the task closes with
 * {@code {"srpm": PATH, "url": URL, "size": N}}, as {@code buildSRPMFromSCM} does, so a build's
 * {@code buildArch} children and a chain's planner take it from there. A refused or failed fetch fails
 * the task with the reason, and so the build. After a restart, fetches that were running start again.
 */
public final class FetchTasks implements AutoCloseable {
    public static final String METHOD = "fetchSource";
    private static final Logger LOG = LoggerFactory.getLogger(FetchTasks.class);
    private static final int PARALLEL = 4;

    private final Db db;
    private final Tasks tasks;
    private final TaskOutputs outputs;
    private final SourceFetcher fetcher;
    private BuildSubmission submission;
    private BuildFlow flow;
    private final Set<Integer> running = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService loop;
    private ExecutorService workers;

    public FetchTasks(Db db, Tasks tasks, TaskOutputs outputs, SourceUrlSettings settings) {
        this.db = db;
        this.tasks = tasks;
        this.outputs = outputs;
        this.fetcher = new SourceFetcher(settings);
    }

    /** The hub's checked HTTP client for URLs strangers give (build repositories use it too). */
    public SourceFetcher fetcher() {
        return fetcher;
    }

    /** The build services it hands fetched SRPMs to (they are made after this object). */
    public void wire(BuildSubmission submission, BuildFlow flow) {
        this.submission = submission;
        this.flow = flow;
    }

    /** Refuses (as a fault, before anything is created) a source URL whose form is wrong, and spec URLs in chains. */
    public static void checkForm(String url) {
        checkForm(url, false);
    }

    /** @param spec whether a {@code .spec} URL is accepted (a single build; a chain plans from SRPMs) */
    public static void checkForm(String url, boolean spec) {
        try {
            java.net.URI u = SourceFetcher.check(url);
            if (!spec && SourceFetcher.fileName(u).endsWith(".spec")) {
                throw new SourceFetchException("refused " + url + ": a spec file URL is built on its own, not in a chain of several"
                        + " URLs; give the URL of its SRPM, or submit it alone");
            }
        } catch (SourceFetchException e) {
            throw new org.fedorabuild.compat.fault.KojiFault.GenericError(e.getMessage());
        }
    }

    /** Creates the fetch child of a chain's {@code parent}; the URL's form is checked first (a malformed one fails the call). */
    public int create(int parent, int owner, int priority, int projectId, String url, String label) {
        checkForm(url);
        return tasks.create(owner, METHOD, "noarch", priority, TaskPayloads.encodeRequest(METHOD, List.of(url), Map.of()), parent,
                label, projectId);
    }

    /**
     * Creates the fetch child of build {@code parent}: an SRPM URL, or a spec URL whose SRPM a
     * {@code buildSRPMFromSCM [copr-hub-spec:ID, buildTag, opts]} sibling then makes on a builder.
     */
    public int create(int parent, int owner, int priority, int projectId, String url, String label, int buildTag,
            Map<String, Object> opts) {
        checkForm(url, true);
        return tasks.create(owner, METHOD, "noarch", priority, TaskPayloads.encodeRequest(METHOD, List.of(url, buildTag, opts),
                Map.of()), parent, label, projectId);
    }

    public void start(Duration interval) {
        // Fetches run in this process: one still OPEN was cut short by a restart, so it starts over.
        db.update("UPDATE tasks SET state = ?, start_time = NULL WHERE method = ? AND state = ?", Tasks.FREE, METHOD, Tasks.OPEN);
        workers = Executors.newFixedThreadPool(PARALLEL, r -> {
            Thread t = new Thread(r, "source-fetch");
            t.setDaemon(true);
            return t;
        });
        loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "source-fetch-dispatch");
            t.setDaemon(true);
            return t;
        });
        loop.scheduleWithFixedDelay(() -> {
            try {
                round();
            } catch (RuntimeException e) {
                LOG.warn("Source fetch - dispatch round failed: {}", e.toString(), e);
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts the FREE fetch tasks there is room for; public for tests. */
    public void round() {
        int room = PARALLEL - running.size();
        if (room <= 0) {
            return;
        }
        for (var r : db.query("SELECT id FROM tasks WHERE method = ? AND state = ? ORDER BY priority, id LIMIT ?", METHOD,
                Tasks.FREE, room)) {
            int id = (Integer) r.get("id");
            boolean claimed = db.update("UPDATE tasks SET state = ?, start_time = now() WHERE id = ? AND state = ?", Tasks.OPEN, id,
                    Tasks.FREE) > 0;
            if (claimed && running.add(id)) {
                workers.submit(() -> {
                    try {
                        run(id);
                    } catch (RuntimeException e) {
                        LOG.warn("Task {} - source fetch crashed: {}", id, e.toString(), e);
                        finish(id, null, "fetching the source failed: " + e);
                    } finally {
                        running.remove(id);
                    }
                });
            }
        }
    }

    private void run(int id) {
        List<Object> request = TaskPayloads.decodeRequest(tasks.request(id).orElseThrow());
        String url = String.valueOf(request.get(0));
        Path dir = outputs.dir(id);
        try {
            Path file = fetcher.fetch(url, dir);
            Map<String, Object> result = new LinkedHashMap<>();
            if (file.getFileName().toString().endsWith(".spec")) {
                if (request.size() < 3) {
                    throw new SourceFetchException("refused " + url + ": a spec file URL is built on its own, not in a chain");
                }
                List<String> sources = SpecSources.fetch(file, fetcher);
                result.put("spec", TaskOutputs.relativeDir(id) + "/" + file.getFileName());
                result.put("sources", sources);
                result.put("url", url);
                result.put("size", Files.size(file));
                finish(id, result, null);
                return;
            }
            result.put("srpm", TaskOutputs.relativeDir(id) + "/" + file.getFileName());
            result.put("url", url);
            result.put("size", Files.size(file));
            finish(id, result, null);
        } catch (SourceFetchException e) {
            finish(id, null, e.getMessage());
        } catch (java.io.IOException e) {
            finish(id, null, "fetching " + url + " failed: " + e.getMessage());
        }
    }

    private void finish(int id, Map<String, Object> result, String failure) {
        db.tx(() -> {
            Integer parent = (Integer) db.scalar("SELECT parent FROM tasks WHERE id = ?", id).orElse(null);
            if (parent != null) {
                db.query("SELECT id FROM tasks WHERE id = ? FOR UPDATE", parent);
            }
            boolean done = failure == null
                    ? db.update("UPDATE tasks SET state = ?, result = ?, completion_time = now() WHERE id = ? AND state = ?",
                            Tasks.CLOSED, TaskPayloads.encodeResult(result), id, Tasks.OPEN) > 0
                    : db.update("UPDATE tasks SET state = ?, result = ?, completion_time = now() WHERE id = ? AND state = ?",
                            Tasks.FAILED, TaskPayloads.encodeFault(1000, failure), id, Tasks.OPEN) > 0;
            if (!done) {
                LOG.info("Task {} - fetch result discarded: the task is no longer OPEN (canceled?)", id);
                return null;
            }
            LOG.info("Task {} - source fetch {}", id, failure == null ? "done: " + result.get("srpm") + ", " + result.get("size")
                    + " bytes" : "failed: " + failure);
            boolean buildParent = parent != null && "build".equals(db.scalar("SELECT method FROM tasks WHERE id = ?", parent).orElse(null));
            if (buildParent) {
                if (failure == null && result.get("spec") != null) {
                    // the SRPM is made on a builder, in its sandbox without network, as for an SCM build
                    List<Object> request = TaskPayloads.decodeRequest(tasks.request(id).orElseThrow());
                    var t = db.queryOne("SELECT owner, priority, project_id FROM tasks WHERE id = ?", parent).orElseThrow();
                    tasks.create((Integer) t.get("owner"), "buildSRPMFromSCM", "noarch", (Integer) t.get("priority"),
                            TaskPayloads.encodeRequest("buildSRPMFromSCM", List.of(org.fedorabuild.hub.scm.SpecSrpmMaker.MARKER + id,
                                    request.get(1), request.get(2)), Map.of()), parent, "srpm", (Integer) t.get("project_id"));
                } else if (failure == null) {
                    submission.srpmReady(parent, (String) result.get("srpm"));
                }
                flow.finishParentIfDone(parent);
            }
            return null;
        });
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.shutdownNow();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
        fetcher.close();
    }
}

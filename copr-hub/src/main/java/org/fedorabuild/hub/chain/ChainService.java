package org.fedorabuild.hub.chain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault.ActionNotAllowed;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.compat.fault.KojiFault.ParameterError;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.compat.server.KojiMethod;
import org.fedorabuild.compat.server.Param;
import org.fedorabuild.hub.auth.Access;
import org.fedorabuild.hub.auth.Caller;
import org.fedorabuild.hub.build.BuildSubmission;
import org.fedorabuild.hub.config.BuildSettings;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.namespace.Projects;
import org.fedorabuild.hub.scm.ScmUrl;
import org.fedorabuild.hub.task.TaskOutputs;
import org.fedorabuild.hub.task.TaskPayloads;
import org.fedorabuild.hub.task.Tasks;
import org.fedorabuild.hub.upload.Uploads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits chain builds. Koji's {@code chainBuild(srcs, target, opts, priority, channel)}: {@code srcs} are
 * ordered levels of SCM URLs, uploaded SRPMs or NVRs already built in the project; the parent task
 * {@code chainbuild} (request {@code [srcs, target, opts]}) gets one {@code build} child per source,
 * labelled {@code build L,N} as Koji labels them, created when its level may start. copr-hub's
 * {@code coprChainBuild(srcs, target, opts, priority)}: a flat list whose order the hub works out from
 * each SRPM's BuildRequires against the others' provides (parent task {@code coprchainbuild}); opts
 * {@code extra_repos} (list of URLs), {@code cycles} ({@code fail}/{@code retry}), {@code cycle_attempts};
 * other keys are passed to the member builds. {@code coprChainStatus(chain_id)} answers the progress.
 * A chain's id is its parent task's id. {@link ChainDriver} runs them.
 */
public final class ChainService {
    private static final Logger LOG = LoggerFactory.getLogger(ChainService.class);

    private final Db db;
    private final Access access;
    private final Projects projects;
    private final Tasks tasks;
    private final Uploads uploads;
    private final TaskOutputs outputs;
    private final BuildSettings settings;
    private final ChainSettings defaults;

    private int maxActiveBuilds = Integer.MAX_VALUE;

    /** UserActiveBuilds. */
    public ChainService maxActiveBuilds(int max) {
        this.maxActiveBuilds = max;
        return this;
    }

    public ChainService(Db db, Access access, Projects projects, Tasks tasks, Uploads uploads, TaskOutputs outputs,
            BuildSettings settings, ChainSettings defaults) {
        this.db = db;
        this.access = access;
        this.projects = projects;
        this.tasks = tasks;
        this.uploads = uploads;
        this.outputs = outputs;
        this.settings = settings;
        this.defaults = defaults;
    }

    private org.fedorabuild.hub.source.FetchTasks fetches;

    /** Where http(s) sources go: the hub fetches each in a {@code fetchSource} child of the chain. */
    public void sourceUrls(org.fedorabuild.hub.source.FetchTasks fetches) {
        this.fetches = fetches;
    }

    @KojiMethod("chainBuild")
    public int chainBuild(CallContext ctx, @Param("srcs") List<Object> srcs, @Param("target") String target,
            @Param(value = "opts", optional = true) Map<String, Object> opts,
            @Param(value = "priority", optional = true) Integer priority,
            @Param(value = "channel", optional = true) String channel) throws IOException {
        List<List<String>> levels = new ArrayList<>();
        for (Object level : srcs) {
            if (!(level instanceof List<?> l) || l.isEmpty()) {
                throw new ParameterError("chainBuild expects a list of non-empty lists of sources, got " + srcs);
            }
            levels.add(l.stream().map(String::valueOf).toList());
        }
        if (levels.isEmpty()) {
            throw new ParameterError("chainBuild needs at least one level of sources");
        }
        return submit(ctx, "chainbuild", srcs, levels, target, opts, priority);
    }

    @KojiMethod("coprChainBuild")
    public int coprChainBuild(CallContext ctx, @Param("srcs") List<Object> srcs, @Param("target") String target,
            @Param(value = "opts", optional = true) Map<String, Object> opts,
            @Param(value = "priority", optional = true) Integer priority) throws IOException {
        if (srcs.isEmpty()) {
            throw new ParameterError("coprChainBuild needs at least one source");
        }
        return submit(ctx, "coprchainbuild", srcs, List.of(srcs.stream().map(String::valueOf).toList()), target, opts, priority);
    }

    @KojiMethod("coprChainStatus")
    public Map<String, Object> coprChainStatus(@Param("chain_id") int chainId) {
        return ChainStatus.of(db, chainId).orElseThrow(() -> new GenericError("no such chain: " + chainId));
    }

    private int submit(CallContext ctx, String method, List<Object> srcs, List<List<String>> levels, String target,
            Map<String, Object> opts, Integer priority) throws IOException {
        Caller c = access.assertLogin(ctx);
        Map<String, Object> o = opts == null ? new LinkedHashMap<>() : new LinkedHashMap<>(opts);
        if (target == null) {
            throw new GenericError("a build target is required (copr-hub builds into projects: OWNER/PROJECT[/CHROOT])");
        }
        int buildTag = (Integer) db.scalar("SELECT build_tag FROM build_targets WHERE name = ?", target)
                .orElseThrow(() -> projects.noSuchTarget(target));
        Projects.Project project = projects.ofTag(buildTag).orElseThrow();
        access.assertProjectRole(ctx, project.id(), project.name().toString(), "builder");
        org.fedorabuild.hub.build.BuildPolicy.assertRoom(db, c, maxActiveBuilds, access.hasPerm(ctx, "admin"));
        int prio = 20;
        if (priority != null) {
            if (priority < 0 && !access.hasPerm(ctx, "admin")) {
                throw new ActionNotAllowed("only admins may create high-priority tasks");
            }
            prio += priority;
        }
        String cycles = String.valueOf(o.getOrDefault("cycles", defaults.cycles())).toLowerCase(Locale.ROOT);
        if (!cycles.equals("fail") && !cycles.equals("retry")) {
            throw new ParameterError("opts cycles must be fail or retry, got " + cycles);
        }
        int attempts = o.get("cycle_attempts") instanceof Number n ? n.intValue() : defaults.cycleAttempts();
        if (attempts < 1 || attempts > 20) {
            throw new ParameterError("opts cycle_attempts must be 1..20, got " + attempts);
        }
        List<String> extra = new ArrayList<>();
        if (o.get("extra_repos") instanceof List<?> l) {
            for (Object u : l) {
                try {
                    extra.add(org.fedorabuild.hub.build.BuildPolicy.repoUrl(u));
                } catch (IllegalArgumentException e) {
                    throw new ParameterError("extra repo: " + e.getMessage());
                }
            }
        }
        boolean ordered = method.equals("chainbuild");
        // Classify every source before anything is created, so a bad one fails the call and leaves nothing.
        List<Object[]> members = new ArrayList<>(); // {level, source, kind, uploadPath, builtNvr}
        for (int l = 0; l < levels.size(); l++) {
            for (String src : levels.get(l)) {
                if (!ordered && fetches != null && org.fedorabuild.hub.source.SourceFetcher.isUrl(src)) {
                    org.fedorabuild.hub.source.FetchTasks.checkForm(src);
                    members.add(new Object[] {l, src, "url", null});
                } else if (ScmUrl.looksLikeScm(src)) {
                    try {
                        ScmUrl.parse(src, settings.scmSchemes());
                    } catch (IllegalArgumentException e) {
                        throw new GenericError(e.getMessage());
                    }
                    members.add(new Object[] {l, src, "scm", null});
                } else if (src.endsWith(".src.rpm")) {
                    members.add(new Object[] {l, src, "upload", uploads.uploadedSrpm(c, src)});
                } else if (builtInProject(project.id(), src)) {
                    members.add(new Object[] {l, src, "nvr", null});
                } else {
                    throw new GenericError("invalid chain source '" + src + "': not an SCM URL, an uploaded SRPM or an NVR"
                            + " built in " + project.name());
                }
            }
        }
        Map<String, Object> memberOpts = new LinkedHashMap<>(o);
        memberOpts.remove("extra_repos");
        memberOpts.remove("cycles");
        memberOpts.remove("cycle_attempts");
        if (!extra.isEmpty()) {
            memberOpts.put(Buildroots.EXTRA_REPOS_OPT, extra);
        }
        List<Object> request = new ArrayList<>(Arrays.asList(srcs, target, o));
        int parent = tasks.create(c.userId(), method, "noarch", prio, TaskPayloads.encodeRequest(method, request, Map.of()), null,
                null, project.id());
        db.update("UPDATE tasks SET state = ?, start_time = now() WHERE id = ?", Tasks.OPEN, parent);
        db.update("INSERT INTO chains (task_id, project_id, owner_id, target, build_tag, ordered, cycles, cycle_attempts,"
                + " extra_repos, opts, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", parent, project.id(), c.userId(), target,
                buildTag, ordered, cycles, attempts, extra.toArray(new String[0]),
                TaskPayloads.encodeRequest("opts", List.of(memberOpts), Map.of()), ordered ? "BUILDING" : "PLANNING");
        Path dir = outputs.dir(parent);
        Files.createDirectories(dir);
        for (int i = 0; i < members.size(); i++) {
            Object[] m = members.get(i);
            String kind = (String) m[2];
            String srpm = null;
            Integer srpmTask = null;
            if (kind.equals("upload")) {
                Path upload = (Path) m[3];
                Path dest = dir.resolve(upload.getFileName().toString());
                if (Files.exists(dest)) {
                    throw new GenericError("two chain sources are named " + upload.getFileName());
                }
                Files.move(upload, dest, StandardCopyOption.REPLACE_EXISTING);
                srpm = TaskOutputs.relativeDir(parent) + "/" + dest.getFileName();
            } else if (kind.equals("url")) {
                srpmTask = fetches.create(parent, c.userId(), prio, project.id(), (String) m[1], "fetch " + i);
            } else if (kind.equals("scm") && !ordered) {
                srpmTask = tasks.create(c.userId(), "buildSRPMFromSCM", "noarch", prio, TaskPayloads.encodeRequest(
                        "buildSRPMFromSCM", List.of(m[1], buildTag, memberOpts), Map.of()), parent, "srpm " + i, project.id());
            }
            boolean built = kind.equals("nvr");
            db.update("INSERT INTO chain_members (chain_id, idx, level, source, srpm, srpm_task_id, nvr, state, reason)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", parent, i, ordered ? m[0] : null, m[1], srpm, srpmTask,
                    built ? m[1] : null, built ? "BUILT" : "WAITING", built ? "already built in " + project.name() : null);
        }
        LOG.info("Chain {} - {} of {} source(s) into {} by {} ({}, cycles {})", parent, method, members.size(), target, c.name(),
                ordered ? levels.size() + " level(s)" : "order from BuildRequires", cycles);
        return parent;
    }

    private boolean builtInProject(int projectId, String nvr) {
        return db.scalar("SELECT 1 FROM builds b JOIN packages p ON p.id = b.package_id WHERE b.project_id = ? AND b.state = 1"
                + " AND (p.name || '-' || b.version || '-' || b.release = ?) LIMIT 1", projectId, nvr).isPresent();
    }
}

package org.fedorabuild.hub.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault.ActionNotAllowed;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.compat.server.KojiMethod;
import org.fedorabuild.compat.server.Param;
import org.fedorabuild.hub.auth.Access;
import org.fedorabuild.hub.auth.Caller;
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
 * Koji's {@code build(src, target, opts, priority, channel)}: a task tree as Koji makes one. The parent
 * {@code build} task (request {@code [src, target, opts]}) is OPEN on no host while the hub runs its
 * children: for an SCM URL first {@code buildSRPMFromSCM [url, build_tag, opts]} (label {@code srpm}),
 * then, and at once for an uploaded SRPM, one {@code buildArch [pkg, root, arch, keep_srpm, opts]} per
 * chroot of the target (label = its arch, or the chroot name when two chroots share an arch).
 */
public final class BuildSubmission {
    private static final Logger LOG = LoggerFactory.getLogger(BuildSubmission.class);

    private final Db db;
    private final Access access;
    private final Projects projects;
    private final Tasks tasks;
    private final Uploads uploads;
    private final TaskOutputs outputs;
    private final BuildSettings settings;

    public BuildSubmission(Db db, Access access, Projects projects, Tasks tasks, Uploads uploads, TaskOutputs outputs,
            BuildSettings settings) {
        this.db = db;
        this.access = access;
        this.projects = projects;
        this.tasks = tasks;
        this.uploads = uploads;
        this.outputs = outputs;
        this.settings = settings;
    }

    private int maxActiveBuilds = Integer.MAX_VALUE;

    /** UserActiveBuilds. */
    public BuildSubmission maxActiveBuilds(int max) {
        this.maxActiveBuilds = max;
        return this;
    }

    /**
     * Build opt: the names of the target's chroots to build in (Copr's per-build chroots); a public option, since it
     * only ever builds less. Internal {@code copr_*} opts are the hub's own.
     */
    public static final String CHROOTS_OPT = "chroots";

    public TaskOutputs outputs() {
        return outputs;
    }

    private org.fedorabuild.hub.source.FetchTasks fetches;

    /** Where http(s) sources go: the hub fetches them in a {@code fetchSource} child task. */
    public void sourceUrls(org.fedorabuild.hub.source.FetchTasks fetches) {
        this.fetches = fetches;
    }

    @KojiMethod("build")
    public int build(CallContext ctx, @Param("src") String src, @Param("target") String target,
            @Param(value = "opts", optional = true) Map<String, Object> opts,
            @Param(value = "priority", optional = true) Integer priority,
            @Param(value = "channel", optional = true) String channel) throws IOException {
        Caller c = access.assertLogin(ctx);
        Map<String, Object> o = opts == null ? new LinkedHashMap<>() : new LinkedHashMap<>(opts);
        BuildPolicy.refuseInternalOpts(o);
        if (target == null) {
            throw new GenericError("a build target is required (copr-hub builds into projects: OWNER/PROJECT[/CHROOT])");
        }
        var t = db.queryOne("SELECT bt.build_tag FROM build_targets bt WHERE bt.name = ?", target)
                .orElseThrow(() -> projects.noSuchTarget(target));
        int buildTag = (Integer) t.get("build_tag");
        Projects.Project project = projects.ofTag(buildTag).orElseThrow();
        access.assertProjectRole(ctx, project.id(), project.name().toString(), "builder");
        BuildPolicy.assertRoom(db, c, maxActiveBuilds, access.hasPerm(ctx, "admin"));
        List<Chroot> chroots = chroots(buildTag, o);
        int prio = 20;
        if (priority != null) {
            if (priority < 0 && !access.hasPerm(ctx, "admin")) {
                throw new ActionNotAllowed("only admins may create high-priority tasks");
            }
            prio += priority;
        }
        ScmUrl scm = null;
        Path upload = null;
        boolean url = org.fedorabuild.hub.source.SourceFetcher.isUrl(src) && fetches != null;
        if (url) {
            org.fedorabuild.hub.source.FetchTasks.checkForm(src, true);
        } else if (ScmUrl.looksLikeScm(src)) {
            try {
                scm = ScmUrl.parse(src, settings.scmSchemes());
            } catch (IllegalArgumentException e) {
                throw new GenericError(e.getMessage());
            }
        } else {
            upload = uploads.uploadedSrpm(c, src);
            String srpmName;
            try {
                srpmName = org.fedorabuild.hub.builder.RpmHeaders.read(upload).name();
            } catch (IOException e) {
                throw new GenericError("invalid source '" + src + "': " + e.getMessage());
            }
            String blocked = BuildPolicy.blocked(db, project.id(), srpmName);
            if (blocked != null) {
                throw new ActionNotAllowed(blocked);
            }
        }
        List<Object> request = new ArrayList<>(Arrays.asList(src, target, o));
        int parent = tasks.create(c.userId(), "build", "noarch", prio, TaskPayloads.encodeRequest("build", request, Map.of()),
                null, null, project.id());
        db.update("UPDATE tasks SET state = ?, start_time = now() WHERE id = ?", Tasks.OPEN, parent);
        if (url) {
            fetches.create(parent, c.userId(), prio, project.id(), src, "fetch", buildTag, o);
        } else if (scm != null) {
            tasks.create(c.userId(), "buildSRPMFromSCM", "noarch", prio, TaskPayloads.encodeRequest("buildSRPMFromSCM",
                    List.of(src, buildTag, o), Map.of()), parent, "srpm", project.id());
        } else {
            // The upload area expires; the SRPM now belongs to the task (and download-task lists it).
            Path dest = outputs.dir(parent).resolve(upload.getFileName().toString());
            Files.createDirectories(dest.getParent());
            Files.move(upload, dest, StandardCopyOption.REPLACE_EXISTING);
            createArchTasks(parent, c.userId(), prio, project.id(), TaskOutputs.relativeDir(parent) + "/" + dest.getFileName(),
                    chroots, o);
        }
        LOG.info("Task {} - build of {} into {} by {} ({} chroot(s){})", parent, src, target, c.name(), chroots.size(),
                Boolean.TRUE.equals(o.get("scratch")) ? ", scratch" : "");
        return parent;
    }

    /** The chroots a build tag stands for: all enabled chroots of a project tag, or the one of a chroot tag. */
    public List<Chroot> chroots(int buildTag, Map<String, Object> opts) {
        List<Chroot> out = new ArrayList<>();
        for (var r : db.query("SELECT pc.id, pc.name, pc.arch, ct.id AS tag_id FROM tags t JOIN project_chroots pc"
                + " ON pc.project_id = t.project_id AND (t.chroot_id IS NULL OR pc.id = t.chroot_id)"
                + " JOIN tags ct ON ct.chroot_id = pc.id WHERE t.id = ? AND pc.enabled ORDER BY pc.name", buildTag)) {
            out.add(new Chroot((Integer) r.get("id"), (String) r.get("name"), (String) r.get("arch"), (Integer) r.get("tag_id")));
        }
        if (opts.get("arch_override") instanceof String override && !override.isBlank()) {
            List<String> arches = Arrays.asList(override.trim().split("\\s+"));
            out.removeIf(ch -> !arches.contains(ch.arch()));
        }
        // Copr's "chroots" of a build (copr-cli build -r CHROOT): a subset of the target's chroots, by name
        if (opts.get(CHROOTS_OPT) instanceof List<?> only) {
            out.removeIf(ch -> !only.contains(ch.name()));
        }
        if (out.isEmpty()) {
            throw new GenericError("nothing to build: the target has no enabled chroots"
                    + (opts.get("arch_override") != null ? " for arches " + opts.get("arch_override") : ""));
        }
        return out;
    }

    /** One buildArch child per chroot; {@code pkg} is the work-relative SRPM path. */
    public void createArchTasks(int parent, int owner, int priority, int projectId, String pkg, List<Chroot> chroots,
            Map<String, Object> opts) {
        Map<String, Integer> perArch = new LinkedHashMap<>();
        chroots.forEach(ch -> perArch.merge(ch.arch(), 1, Integer::sum));
        for (Chroot ch : chroots) {
            String label = perArch.get(ch.arch()) > 1 ? ch.name() : ch.arch();
            tasks.create(owner, "buildArch", ch.arch(), priority, TaskPayloads.encodeRequest("buildArch",
                    List.of(pkg, ch.tagId(), ch.arch(), true, opts), Map.of()), parent, label, projectId);
        }
    }

    /** After the SCM child made the SRPM: the buildArch children, for the target's chroots as they are now. */
    public void srpmReady(int parent, String pkg) {
        var p = db.queryOne("SELECT owner, priority, project_id, request FROM tasks WHERE id = ?", parent).orElseThrow();
        List<Object> request = TaskPayloads.decodeRequest((String) p.get("request"));
        @SuppressWarnings("unchecked")
        Map<String, Object> opts = request.size() > 2 && request.get(2) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        int buildTag = (Integer) db.scalar("SELECT build_tag FROM build_targets WHERE name = ?", request.get(1)).orElseThrow(
                () -> new GenericError("build target " + request.get(1) + " no longer exists"));
        createArchTasks(parent, (Integer) p.get("owner"), (Integer) p.get("priority"), (Integer) p.get("project_id"), pkg,
                chroots(buildTag, opts), opts);
    }
}

package org.fedorabuild.hub.coprapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.task.TaskPayloads;
import org.fedorabuild.hub.task.Tasks;

/**
 * Copr's view of copr-hub builds. One model: a Copr build is a {@code build} parent task (one submission, whatever
 * client made it: copr-cli, the koji CLI, the web pages, a chain member), its id the task id; its build chroots are
 * the {@code buildArch} children, each of which records one Koji build per chroot when it succeeds. States are
 * Copr's names, derived from the task tree (Copr's rules: canceled wins, then the source stage, then the chroots).
 */
final class CoprBuilds {
    private static final String BUILD_SELECT = "SELECT t.id, t.state, t.request, t.project_id, extract(epoch FROM t.create_time)::bigint AS submitted,"
            + " extract(epoch FROM t.start_time)::bigint AS started, extract(epoch FROM t.completion_time)::bigint AS ended,"
            + " su.name AS submitter, o.name AS owner, p.name AS project FROM tasks t JOIN users su ON su.id = t.owner"
            + " JOIN projects p ON p.id = t.project_id AND p.deleted_time IS NULL JOIN users o ON o.id = p.owner_id"
            + " WHERE t.method = 'build' AND NOT EXISTS (SELECT 1 FROM deleted_builds d WHERE d.task_id = t.id) ";

    private final Db db;
    private final String publicUrl;

    /** One build chroot: Copr's name and state, and its results folder (null while there is none). */
    record BuildChroot(String name, String state, Long started, Long ended, String resultUrl, Integer taskId) {
    }

    CoprBuilds(Db db, String publicUrl) {
        this.db = db;
        this.publicUrl = publicUrl;
    }

    Optional<Map<String, Object>> row(int id) {
        return db.queryOne(BUILD_SELECT + "AND t.id = ?", id);
    }

    Map<String, Object> require(int id) {
        return row(id).orElseThrow(() -> ApiError.notFound("Build " + id + " does not exist."));
    }

    /** Rows of a project's builds, by id, optionally of one package (by the name its Koji builds or source carry). */
    List<Map<String, Object>> ofProject(int projectId, String packageName, boolean descending, int limit, int offset) {
        return db.query(BUILD_SELECT + "AND t.project_id = ? AND (CAST(? AS text) IS NULL OR EXISTS (SELECT 1 FROM builds b JOIN packages pk"
                + " ON pk.id = b.package_id WHERE b.task_id = t.id AND pk.name = ?)) ORDER BY t.id " + (descending ? "DESC" : "ASC")
                + " LIMIT ? OFFSET ?", projectId, packageName, packageName, limit, offset);
    }

    /** Copr's Build object. */
    Map<String, Object> json(Map<String, Object> row) {
        int id = (Integer) row.get("id");
        List<BuildChroot> chroots = chroots(row);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("id", id);
        b.put("state", state(row, chroots));
        b.put("projectname", row.get("project"));
        b.put("ownername", row.get("owner"));
        b.put("repo_url", publicUrl + "/results/" + row.get("owner") + "/" + row.get("project"));
        b.put("source_package", sourcePackage(row));
        b.put("submitted_on", row.get("submitted"));
        b.put("started_on", chroots.stream().map(BuildChroot::started).filter(java.util.Objects::nonNull).min(Long::compare).orElse(null));
        b.put("ended_on", isFinished((Integer) row.get("state")) ? row.get("ended") : null);
        b.put("submitter", row.get("submitter"));
        b.put("chroots", chroots.stream().map(BuildChroot::name).toList());
        b.put("project_dirname", row.get("project"));
        b.put("is_background", false);
        return b;
    }

    static boolean isFinished(int taskState) {
        return taskState == Tasks.CLOSED || taskState == Tasks.FAILED || taskState == Tasks.CANCELED;
    }

    /** The overall state: see the class comment; {@code waiting} is reported as {@code pending}, as Copr does. */
    String state(Map<String, Object> row, List<BuildChroot> chroots) {
        int state = (Integer) row.get("state");
        switch (state) {
            case Tasks.CANCELED:
                return "canceled";
            case Tasks.FAILED:
                return "failed";
            case Tasks.CLOSED:
                return "succeeded";
            case Tasks.FREE:
            case Tasks.ASSIGNED:
                return "pending";
            default:
                break;
        }
        for (var c : db.query("SELECT state FROM tasks WHERE parent = ? AND method <> 'buildArch'", row.get("id"))) {
            String s = taskState((Integer) c.get("state"));
            if (List.of("pending", "starting", "running").contains(s)) {
                return s;
            }
        }
        for (String s : List.of("running", "starting", "pending", "failed", "succeeded")) {
            if (chroots.stream().anyMatch(c -> c.state().equals(s))) {
                return s.equals("failed") || s.equals("succeeded") ? "running" : s;
            }
        }
        return "pending";
    }

    static String taskState(int s) {
        return switch (s) {
            case Tasks.FREE -> "pending";
            case Tasks.ASSIGNED -> "starting";
            case Tasks.OPEN -> "running";
            case Tasks.CLOSED -> "succeeded";
            case Tasks.CANCELED -> "canceled";
            default -> "failed";
        };
    }

    /**
     * The build chroots: one per buildArch child; before those exist (the SRPM is still being made or fetched), the
     * chroots the build is for, {@code waiting} (or the build's end state when it ended there).
     */
    List<BuildChroot> chroots(Map<String, Object> row) {
        int id = (Integer) row.get("id");
        List<BuildChroot> out = new ArrayList<>();
        for (var c : db.query("SELECT c.id, c.state, c.request, extract(epoch FROM c.start_time)::bigint AS started,"
                + " extract(epoch FROM c.completion_time)::bigint AS ended FROM tasks c WHERE c.parent = ? AND c.method = 'buildArch'"
                + " ORDER BY c.id", id)) {
            int tagId = ((Number) TaskPayloads.decodeRequest((String) c.get("request")).get(1)).intValue();
            String chroot = (String) db.scalar("SELECT pc.name FROM tags t JOIN project_chroots pc ON pc.id = t.chroot_id WHERE t.id = ?", tagId)
                    .orElse("unknown");
            int taskId = (Integer) c.get("id");
            int state = (Integer) c.get("state");
            out.add(new BuildChroot(chroot, taskState(state), (Long) c.get("started"), isFinished(state) ? (Long) c.get("ended") : null,
                    resultUrl(taskId, state), taskId));
        }
        if (out.isEmpty()) {
            int state = (Integer) row.get("state");
            String s = state == Tasks.CANCELED ? "canceled" : state == Tasks.FAILED ? "failed" : "waiting";
            for (String chroot : intendedChroots(row)) {
                out.add(new BuildChroot(chroot, s, null, null, null, null));
            }
        }
        return out;
    }

    /**
     * The Copr-style results folder {@code /results/OWNER/PROJECT/CHROOT/00001234-PKG/} of a succeeded chroot (RPMs and
     * gzipped logs); for a chroot that failed or was canceled, the task's own output folder with its logs.
     */
    private String resultUrl(int taskId, int state) {
        if (state == Tasks.CLOSED) {
            return db.scalar("SELECT dir FROM build_results WHERE task_id = ? AND published", taskId)
                    .map(d -> publicUrl + "/results/" + d + "/").orElse(null);
        }
        if (state == Tasks.FAILED || state == Tasks.CANCELED) {
            return publicUrl + "/kojifiles/work/tasks/" + (taskId % 10000) + "/" + taskId + "/";
        }
        return null;
    }

    /** The chroots of the build's target (all enabled chroots of a project target, or the one of a chroot target), narrowed by its opts. */
    @SuppressWarnings("unchecked")
    private List<String> intendedChroots(Map<String, Object> row) {
        List<Object> req = TaskPayloads.decodeRequest((String) row.get("request"));
        String target = req.size() > 1 ? String.valueOf(req.get(1)) : "";
        Map<String, Object> opts = req.size() > 2 && req.get(2) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        List<String> names = new ArrayList<>();
        for (var r : db.query("SELECT pc.name FROM build_targets bt JOIN tags t ON t.id = bt.build_tag JOIN project_chroots pc"
                + " ON pc.project_id = t.project_id AND (t.chroot_id IS NULL OR pc.id = t.chroot_id) WHERE bt.name = ? AND pc.enabled"
                + " ORDER BY pc.name", target)) {
            names.add((String) r.get("name"));
        }
        if (opts.get(BuildRequests.CHROOTS_OPT) instanceof List<?> only) {
            names.retainAll(only);
        }
        return names;
    }

    /** Copr's source_package: name and version-release once known (Koji builds, else the SRPM's file name), and the URL of a URL build. */
    private Map<String, Object> sourcePackage(Map<String, Object> row) {
        Map<String, Object> sp = new LinkedHashMap<>();
        var b = db.queryOne("SELECT pk.name, b.version, b.release FROM builds b JOIN packages pk ON pk.id = b.package_id WHERE b.task_id = ?"
                + " ORDER BY b.id LIMIT 1", row.get("id")).orElse(null);
        List<Object> req = TaskPayloads.decodeRequest((String) row.get("request"));
        String src = req.isEmpty() ? "" : String.valueOf(req.get(0));
        String name = null;
        String version = null;
        if (b != null) {
            name = (String) b.get("name");
            version = b.get("version") + "-" + String.valueOf(b.get("release")).replaceFirst("\\.(fc|el|eln|mga|suse)[0-9a-z_]*$", "");
        } else {
            String base = src.substring(src.lastIndexOf('/') + 1).replaceAll("[?#].*$", "");
            if (base.endsWith(".src.rpm")) {
                String nvr = base.substring(0, base.length() - ".src.rpm".length());
                int r = nvr.lastIndexOf('-');
                int v = r > 0 ? nvr.lastIndexOf('-', r - 1) : -1;
                if (v > 0) {
                    name = nvr.substring(0, v);
                    version = nvr.substring(v + 1);
                }
            }
        }
        sp.put("name", name);
        sp.put("version", version);
        sp.put("url", src.startsWith("http://") || src.startsWith("https://") ? src : null);
        return sp;
    }

    /** {@code {chroot: {"packages": [{name, epoch, version, release, arch}]}}} of the build's recorded RPMs. */
    Map<String, Object> builtPackages(int id) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var r : db.query("SELECT pc.name AS chroot, r.name, coalesce(r.epoch, 0) AS epoch, r.version, r.release, r.arch FROM rpms r"
                + " JOIN builds b ON b.id = r.build_id JOIN project_chroots pc ON pc.id = b.chroot_id WHERE b.task_id = ? AND b.state = 1"
                + " ORDER BY pc.name, r.name, r.arch", id)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> chroot = (Map<String, Object>) out.computeIfAbsent((String) r.get("chroot"),
                    k -> new LinkedHashMap<>(Map.of("packages", new ArrayList<>())));
            @SuppressWarnings("unchecked")
            List<Object> pkgs = (List<Object>) chroot.get("packages");
            Map<String, Object> p = new LinkedHashMap<>();
            for (String k : List.of("name", "epoch", "version", "release", "arch")) {
                p.put(k, r.get(k));
            }
            pkgs.add(p);
        }
        return out;
    }

    /** Copr's BuildChroot object. */
    static Map<String, Object> json(BuildChroot c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("started_on", c.started());
        m.put("ended_on", c.ended());
        m.put("result_url", c.resultUrl());
        m.put("state", c.state());
        return m;
    }
}

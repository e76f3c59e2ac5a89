package org.fedorabuild.hub.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.compat.server.KojiMethod;
import org.fedorabuild.compat.server.KwArgs;
import org.fedorabuild.compat.server.Param;
import org.fedorabuild.hub.auth.Caller;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.namespace.Tags;

/**
 * Builds and their RPMs as list-builds, buildinfo, latest-build and list-tagged read them. One NVR may
 * exist in several projects (and be rebuilt in one): a bare NVR resolves as {@link BuildLookup} says,
 * every build struct names its project in {@code copr_project}, and its {@code volume_name} is the project,
 * so koji's download paths ({@code /kojifiles/vol/OWNER/PROJECT/packages/…}) name the project too.
 */
public final class BuildApi {
    static final String BUILD_SELECT = "SELECT b.id, b.id AS build_id, b.package_id, pk.name AS package_name, pk.name AS name,"
            + " b.version, b.release, b.epoch, pk.name || '-' || b.version || '-' || b.release AS nvr, b.draft, b.state,"
            + " b.task_id, b.owner_id, u.name AS owner_name, 0 AS volume_id, ow.name || '/' || pr.name AS volume_name,"
            + " CAST(NULL AS integer) AS creation_event_id, b.source, CAST(NULL AS text) AS extra,"
            + " CAST(NULL AS integer) AS cg_id, CAST(NULL AS text) AS cg_name,"
            + " CAST(NULL AS integer) AS promoter_id, CAST(NULL AS text) AS promoter_name,"
            + " b.creation_time, extract(epoch FROM b.creation_time)::float8 AS creation_ts,"
            + " b.start_time, extract(epoch FROM b.start_time)::float8 AS start_ts,"
            + " b.completion_time, extract(epoch FROM b.completion_time)::float8 AS completion_ts,"
            + " CAST(NULL AS timestamptz) AS promotion_time, CAST(NULL AS float8) AS promotion_ts,"
            + " ow.name || '/' || pr.name AS copr_project, pc.name AS copr_chroot"
            + " FROM builds b JOIN packages pk ON pk.id = b.package_id JOIN users u ON u.id = b.owner_id"
            + " JOIN projects pr ON pr.id = b.project_id JOIN users ow ON ow.id = pr.owner_id"
            + " LEFT JOIN project_chroots pc ON pc.id = b.chroot_id ";
    static final Map<String, String> ORDER = Map.of("build_id", "b.id", "id", "b.id", "nvr", "nvr", "package_name", "pk.name",
            "completion_time", "b.completion_time", "creation_time", "b.creation_time", "state", "b.state",
            "owner_name", "u.name", "completion_ts", "b.completion_time", "creation_ts", "b.creation_time");

    private final Db db;
    private final Tags tags;
    private final BuildLookup lookup;

    public BuildApi(Db db, Tags tags) {
        this.db = db;
        this.tags = tags;
        this.lookup = new BuildLookup(db);
    }

    /** As {@link #findBuild(Object, boolean, Caller)} for an anonymous caller. */
    Map<String, Object> findBuild(Object info, boolean strict) {
        return findBuild(info, strict, Caller.ANONYMOUS);
    }

    /**
     * int id, NVR string ({@code OWNER/PROJECT:N-V-R} names the project), or {id} / {name, version, release
     * [, copr_project]} struct; a bare NVR resolves as {@link BuildLookup} says; a malformed NVR is always an error.
     */
    Map<String, Object> findBuild(Object info, boolean strict, Caller caller) {
        String name;
        String version;
        String release;
        String project = null;
        if (info instanceof Long || info instanceof Integer) {
            return first(db.query(BUILD_SELECT + "WHERE b.id = ?", ((Number) info).intValue()), info, strict);
        } else if (info instanceof String s) {
            int colon = s.indexOf(':');
            if (colon > 0 && s.substring(0, colon).contains("/")) {
                project = s.substring(0, colon);
                s = s.substring(colon + 1);
            }
            String[] nvr = parseNvr(s);
            name = nvr[0];
            version = nvr[1];
            release = nvr[2];
        } else if (info instanceof Map<?, ?> m && m.get("id") != null) {
            return findBuild(m.get("id"), strict, caller);
        } else if (info instanceof Map<?, ?> m && m.get("name") != null && m.get("version") != null && m.get("release") != null) {
            name = String.valueOf(m.get("name"));
            version = String.valueOf(m.get("version"));
            release = String.valueOf(m.get("release"));
            project = m.get("copr_project") == null ? null : String.valueOf(m.get("copr_project"));
        } else {
            throw new GenericError("Invalid argument: " + Args.repr(info));
        }
        List<Map<String, Object>> rows;
        if (project != null) {
            rows = db.query(BUILD_SELECT + "WHERE pk.name = ? AND b.version = ? AND b.release = ?"
                    + " AND ow.name || '/' || pr.name = ? ORDER BY b.id DESC LIMIT 1", name, version, release, project);
        } else {
            Integer projectId = lookup.project(caller, name, version, release);
            rows = projectId == null ? List.of() : db.query(BUILD_SELECT + "WHERE pk.name = ? AND b.version = ? AND b.release = ?"
                    + " AND b.project_id = ? ORDER BY b.id DESC LIMIT 1", name, version, release, projectId);
        }
        return first(rows, info, strict);
    }

    private static Map<String, Object> first(List<Map<String, Object>> rows, Object info, boolean strict) {
        if (rows.isEmpty()) {
            if (strict) {
                throw new GenericError("No such build: " + Args.repr(info));
            }
            return null;
        }
        return rows.get(0);
    }

    /** Koji's parse_NVR: name-version-release split at the last two dashes. */
    static String[] parseNvr(String nvr) {
        int r = nvr.lastIndexOf('-');
        int v = r > 0 ? nvr.lastIndexOf('-', r - 1) : -1;
        if (v <= 0 || r == v + 1 || r == nvr.length() - 1) {
            throw new GenericError("invalid format: " + nvr);
        }
        String name = nvr.substring(0, v);
        int colon = name.indexOf(':');
        if (colon >= 0) {
            name = name.substring(colon + 1);
        }
        return new String[] {name, nvr.substring(v + 1, r), nvr.substring(r + 1)};
    }

    @KojiMethod(value = "getBuild", readOnly = true)
    public Map<String, Object> getBuild(CallContext ctx, @Param("buildInfo") Object buildInfo,
            @Param(value = "strict", optional = true) Boolean strict) {
        return findBuild(buildInfo, Boolean.TRUE.equals(strict), Caller.of(ctx));
    }

    @KojiMethod(value = "listBuilds", readOnly = true)
    public Object listBuilds(org.fedorabuild.compat.server.CallContext ctx, @Param(value = "packageID", optional = true) Object packageID,
            @Param(value = "userID", optional = true) Object userID, @Param(value = "taskID", optional = true) Object taskID,
            @Param(value = "prefix", optional = true) String prefix, @Param(value = "state", optional = true) Object state,
            @Param(value = "volumeID", optional = true) Object volumeID, @Param(value = "source", optional = true) String source,
            @Param(value = "createdBefore", optional = true) Object createdBefore,
            @Param(value = "createdAfter", optional = true) Object createdAfter,
            @Param(value = "completeBefore", optional = true) Object completeBefore,
            @Param(value = "completeAfter", optional = true) Object completeAfter,
            @Param(value = "type", optional = true) String type, @Param(value = "typeInfo", optional = true) Object typeInfo,
            @Param(value = "queryOpts", optional = true) Object queryOpts, @Param(value = "pattern", optional = true) String pattern,
            @Param(value = "cgID", optional = true) Object cgID, @Param(value = "draft", optional = true) Boolean draft,
            @Param(value = "promotedBefore", optional = true) Object promotedBefore,
            @Param(value = "promotedAfter", optional = true) Object promotedAfter,
            @Param(value = "promoter", optional = true) Object promoter) {
        QueryOpts q = QueryOpts.from(queryOpts, ctx);
        if ((type != null && !type.equals("rpm")) || cgID != null || promoter != null || promotedAfter != null
                || (volumeID != null && Args.id(volumeID, "volumeID") != 0) || Boolean.TRUE.equals(draft)) {
            // Copr builds are all plain rpm builds on the DEFAULT volume, never drafts or promoted.
            return q.countOnly() ? 0 : List.of();
        }
        Integer userId = null;
        if (userID != null) {
            Object key = Args.nameOrId(userID, "userID");
            userId = key instanceof Integer i ? i
                    : db.scalar("SELECT id FROM users WHERE name = ?", key).map(v -> (Integer) v).orElse(-1);
        }
        Integer task = taskID == null ? null : Args.id(taskID, "taskID");
        List<Object> p = new ArrayList<>();
        StringBuilder where = new StringBuilder("WHERE true");
        add(where, p, packageID == null ? null : Args.id(packageID, "packageID"), " AND b.package_id = ?");
        add(where, p, userId, " AND b.owner_id = ?");
        if (task != null) {
            // Koji: taskID -1 means "any build with a task".
            where.append(task == -1 ? " AND b.task_id IS NOT NULL" : " AND b.task_id = ?");
            if (task != -1) {
                p.add(task);
            }
        }
        add(where, p, prefix == null ? null : Args.prefixLike(prefix), " AND pk.name LIKE ?");
        add(where, p, state == null ? null : Args.id(state, "state"), " AND b.state = ?");
        add(where, p, source == null ? null : Args.globToLike(source), " AND b.source LIKE ?");
        add(where, p, pattern == null ? null : Args.globToLike(pattern), " AND pk.name || '-' || b.version || '-' || b.release LIKE ?");
        add(where, p, createdBefore == null ? null : Args.time(createdBefore, "createdBefore"), " AND b.creation_time < ?");
        add(where, p, createdAfter == null ? null : Args.time(createdAfter, "createdAfter"), " AND b.creation_time > ?");
        add(where, p, completeBefore == null ? null : Args.time(completeBefore, "completeBefore"), " AND b.completion_time < ?");
        add(where, p, completeAfter == null ? null : Args.time(completeAfter, "completeAfter"), " AND b.completion_time > ?");
        if (promotedBefore != null) {
            where.append(" AND false");
        }
        List<Map<String, Object>> rows = db.query(BUILD_SELECT + where + q.tail(ORDER, "b.id"), p.toArray());
        if (q.countOnly()) {
            return rows.size();
        }
        rows.forEach(r -> r.remove("id"));
        return rows;
    }

    private static void add(StringBuilder where, List<Object> params, Object value, String clause) {
        if (value != null) {
            where.append(clause);
            params.add(value);
        }
    }

    /**
     * COMPLETE builds tagged into the tag (and, with {@code inherit}, its parents), newest tagging first;
     * {@code latest} keeps the newest per package (an int N keeps N).
     */
    List<Map<String, Object>> tagged(Object tag, boolean inherit, Object latest, Object pkg, String prefix) {
        Object key = Args.nameOrId(tag, "tag");
        var t = tags.find(key).orElseThrow(() -> new GenericError("No such tagInfo: " + Args.repr(key)));
        List<Integer> ids = new ArrayList<>();
        ids.add((Integer) t.get("id"));
        if (inherit) {
            tags.parents((Integer) t.get("id")).forEach(r -> ids.add((Integer) r.get("parent_id")));
        }
        String pkgName = null;
        if (pkg != null) {
            Object pk = Args.nameOrId(pkg, "package");
            pkgName = pk instanceof Integer i ? db.scalar("SELECT name FROM packages WHERE id = ?", i).map(String.class::cast).orElse("")
                    : (String) pk;
        }
        String select = BUILD_SELECT.replace(" FROM builds b ", ", tl.tag_id, tg.name AS tag_name, CAST(NULL AS integer) AS create_event"
                + " FROM builds b JOIN tag_listing tl ON tl.build_id = b.id JOIN tags tg ON tg.id = tl.tag_id ");
        List<Map<String, Object>> rows = db.query(select + "WHERE tl.tag_id = ANY(?) AND b.state = 1"
                + " AND (CAST(? AS text) IS NULL OR pk.name = ?) AND (CAST(? AS text) IS NULL OR pk.name LIKE ?)"
                + " ORDER BY CASE WHEN tl.tag_id = ? THEN 0 ELSE 1 END, tl.create_time DESC, b.id DESC", ids.toArray(new Integer[0]),
                pkgName, pkgName, prefix, prefix == null ? null : Args.prefixLike(prefix), t.get("id"));
        // A tag's own listing comes before what it inherits (a chroot tag's builds before its project's), and a
        // build listed in both appears once.
        java.util.Set<Object> seen = new java.util.HashSet<>();
        rows = new ArrayList<>(rows.stream().filter(r -> seen.add(r.get("id"))).toList());
        int keep = latest instanceof Number n && !(latest instanceof Double) ? n.intValue() : Args.truthy(latest) ? 1 : 0;
        if (keep > 0) {
            Map<Object, Integer> perPackage = new LinkedHashMap<>();
            rows = rows.stream().filter(r -> perPackage.merge(r.get("package_id"), 1, Integer::sum) <= keep).toList();
        }
        return rows;
    }

    @KojiMethod(value = "listTagged", readOnly = true)
    public List<Map<String, Object>> listTagged(@Param("tag") Object tag, @Param(value = "event", optional = true) Object event,
            @Param(value = "inherit", optional = true) Boolean inherit, @Param(value = "prefix", optional = true) String prefix,
            @Param(value = "latest", optional = true) Object latest, @Param(value = "package", optional = true) Object pkg,
            @Param(value = "owner", optional = true) Object owner, @Param(value = "type", optional = true) String type,
            @Param(value = "strict", optional = true) Boolean strict, @Param(value = "extra", optional = true) Boolean extra,
            @Param(value = "draft", optional = true) Boolean draft) {
        if ((type != null && !type.equals("rpm")) || Boolean.TRUE.equals(draft)) {
            return List.of();
        }
        List<Map<String, Object>> rows = tagged(tag, Boolean.TRUE.equals(inherit), latest, pkg, prefix);
        if (owner != null) {
            Object o = Args.nameOrId(owner, "owner");
            rows = rows.stream().filter(r -> o.equals(o instanceof Integer ? r.get("owner_id") : r.get("owner_name"))).toList();
        }
        return rows;
    }

    @KojiMethod(value = "getLatestBuilds", readOnly = true)
    public List<Map<String, Object>> getLatestBuilds(@Param("tag") Object tag, @Param(value = "event", optional = true) Object event,
            @Param(value = "package", optional = true) Object pkg, @Param(value = "type", optional = true) String type,
            @Param(value = "draft", optional = true) Boolean draft) {
        return listTagged(tag, null, true, null, true, pkg, null, type, null, null, draft);
    }

    private static final String RPM_SELECT = "SELECT r.id, r.name, r.version, r.release, r.epoch, r.arch, false AS draft,"
            + " r.external_repo_id, 'INTERNAL' AS external_repo_name, r.payloadhash, r.size, 0 AS buildtime, r.build_id,"
            + " CAST(NULL AS integer) AS buildroot_id, false AS metadata_only, CAST(NULL AS text) AS extra FROM rpms r ";

    @KojiMethod(value = "listRPMs", readOnly = true)
    public List<Map<String, Object>> listRPMs(@Param(value = "buildID", optional = true) Object buildID,
            @Param(value = "buildrootID", optional = true) Object buildrootID,
            @Param(value = "imageID", optional = true) Object imageID,
            @Param(value = "componentBuildrootID", optional = true) Object componentBuildrootID,
            @Param(value = "hostID", optional = true) Object hostID, @Param(value = "arches", optional = true) Object arches,
            @Param(value = "queryOpts", optional = true) Object queryOpts, @Param(value = "draft", optional = true) Boolean draft) {
        if (buildID == null || buildrootID != null || imageID != null || componentBuildrootID != null || hostID != null) {
            return List.of();
        }
        List<Map<String, Object>> rows = db.query(RPM_SELECT + "WHERE r.build_id = ? ORDER BY r.id", Args.id(buildID, "buildID"));
        if (arches != null) {
            List<?> wanted = arches instanceof List<?> l ? l : List.of(arches);
            rows = rows.stream().filter(r -> wanted.contains(r.get("arch"))).toList();
        }
        return rows;
    }

    /** [rpms, builds] of the builds listTagged answers. */
    @KojiMethod(value = "listTaggedRPMS", readOnly = true)
    public List<Object> listTaggedRPMS(@Param("tag") Object tag, @Param(value = "event", optional = true) Object event,
            @Param(value = "inherit", optional = true) Boolean inherit, @Param(value = "latest", optional = true) Object latest,
            @Param(value = "package", optional = true) Object pkg, @Param(value = "arch", optional = true) Object arch,
            @KwArgs Map<String, Object> more) {
        List<Map<String, Object>> builds = tagged(tag, Boolean.TRUE.equals(inherit), latest, pkg, null);
        List<Map<String, Object>> rpms = new ArrayList<>();
        for (var b : builds) {
            rpms.addAll(listRPMs(b.get("id"), null, null, null, null, arch, null, null));
        }
        return List.of(rpms, builds);
    }

    @KojiMethod(value = "getLatestRPMS", readOnly = true)
    public List<Object> getLatestRPMS(@Param("tag") Object tag, @Param(value = "package", optional = true) Object pkg,
            @Param(value = "arch", optional = true) Object arch, @KwArgs Map<String, Object> more) {
        return listTaggedRPMS(tag, null, true, true, pkg, arch, Map.of());
    }

    @KojiMethod(value = "queryRPMSigs", readOnly = true)
    public List<Object> queryRPMSigs(@KwArgs Map<String, Object> kw, @Param(value = "rpm_id", optional = true) Object rpmId,
            @Param(value = "sigkey", optional = true) Object sigkey, @Param(value = "queryOpts", optional = true) Object queryOpts) {
        return List.of();
    }

    @KojiMethod(value = "getMavenBuild", readOnly = true)
    public Object getMavenBuild(@Param("buildInfo") Object buildInfo, @Param(value = "strict", optional = true) Boolean strict) {
        return null;
    }

    @KojiMethod(value = "getWinBuild", readOnly = true)
    public Object getWinBuild(@Param("buildInfo") Object buildInfo, @Param(value = "strict", optional = true) Boolean strict) {
        return null;
    }

    @KojiMethod(value = "listArchives", readOnly = true)
    public List<Object> listArchives(@KwArgs Map<String, Object> kw) {
        return List.of();
    }

    @KojiMethod(value = "getChangelogEntries", readOnly = true)
    public List<Object> getChangelogEntries(@KwArgs Map<String, Object> kw, @Param(value = "buildID", optional = true) Object buildID) {
        return List.of();
    }

    @KojiMethod(value = "listVolumes", readOnly = true)
    public List<Map<String, Object>> listVolumes() {
        return List.of(Map.of("id", 0, "name", "DEFAULT"));
    }
}

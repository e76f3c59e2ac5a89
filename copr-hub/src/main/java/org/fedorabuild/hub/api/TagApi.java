package org.fedorabuild.hub.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.compat.server.KojiMethod;
import org.fedorabuild.compat.server.KwArgs;
import org.fedorabuild.compat.server.Param;
import org.fedorabuild.hub.namespace.Tags;

/**
 * Tags and targets (Copr projects and chroots, see {@code CoprName}) as list-targets, list-tags and
 * taginfo read them. Events are not kept: an {@code event} argument is accepted and ignored.
 */
public final class TagApi {
    private final Tags tags;
    private final BuildApi builds;
    private final PackageApi packages;

    private final org.fedorabuild.hub.db.Db db;

    public TagApi(Tags tags, BuildApi builds, PackageApi packages, org.fedorabuild.hub.db.Db db) {
        this.db = db;
        this.tags = tags;
        this.builds = builds;
        this.packages = packages;
    }

    Map<String, Object> findTag(Object info, boolean strict) {
        Object key = Args.nameOrId(info, "tagInfo");
        var tag = tags.find(key).orElse(null);
        if (tag == null && strict) {
            throw new GenericError("No such tagInfo: " + Args.repr(key));
        }
        return tag;
    }

    @KojiMethod(value = "getTag", readOnly = true)
    public Map<String, Object> getTag(@Param("tagInfo") Object tagInfo, @Param(value = "strict", optional = true) Boolean strict,
            @Param(value = "event", optional = true) Object event, @Param(value = "blocked", optional = true) Boolean blocked) {
        return findTag(tagInfo, Boolean.TRUE.equals(strict));
    }

    @KojiMethod(value = "getBuildConfig", readOnly = true)
    public Map<String, Object> getBuildConfig(@Param("tag") Object tag, @Param(value = "event", optional = true) Object event) {
        Map<String, Object> info = new LinkedHashMap<>(findTag(tag, true));
        if (info.get("arches") == null) {
            // Koji inherits arches from the first parent that has them: a chroot tag's project tag.
            for (var parent : tags.parents((Integer) info.get("id"))) {
                var p = tags.find(parent.get("parent_id")).orElseThrow();
                if (p.get("arches") != null) {
                    info.put("arches", p.get("arches"));
                    break;
                }
            }
        }
        Map<String, Object> inheritance = new LinkedHashMap<>();
        inheritance.put("extra", new LinkedHashMap<>());
        inheritance.put("arches", null);
        info.put("config_inheritance", inheritance);
        return info;
    }

    @KojiMethod(value = "listTags", readOnly = true)
    public List<Map<String, Object>> listTags(@Param(value = "build", optional = true) Object build,
            @Param(value = "package", optional = true) Object pkg, @Param(value = "perms", optional = true) Boolean perms,
            @Param(value = "queryOpts", optional = true) Object queryOpts,
            @Param(value = "pattern", optional = true) String pattern) {
        List<Map<String, Object>> rows;
        if (build != null && pkg != null) {
            throw new GenericError("only one of build and package may be specified");
        } else if (build != null) {
            Map<String, Object> b = builds.findBuild(build, true);
            rows = tags.ofBuild((Integer) b.get("id"));
        } else if (pkg != null) {
            Map<String, Object> p = packages.findPackage(pkg, true);
            rows = tags.ofPackage((Integer) p.get("id"));
        } else {
            rows = tags.all();
        }
        if (pattern != null) {
            Pattern glob = globPattern(pattern);
            rows = rows.stream().filter(t -> glob.matcher((String) t.get("name")).matches()).toList();
        }
        return rows;
    }

    /** fnmatch semantics: * ? and [...] classes; everything else literal. */
    static Pattern globPattern(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[' && glob.indexOf(']', i + 2) > 0) {
                int end = glob.indexOf(']', i + 2);
                String body = glob.substring(i + 1, end).replace("\\", "\\\\");
                re.append('[').append(body.startsWith("!") ? "^" + body.substring(1) : body).append(']');
                i = end;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    @KojiMethod(value = "getBuildTargets", readOnly = true)
    public List<Map<String, Object>> getBuildTargets(@Param(value = "info", optional = true) Object info,
            @Param(value = "event", optional = true) Object event, @Param(value = "buildTagID", optional = true) Object buildTagID,
            @Param(value = "destTagID", optional = true) Object destTagID,
            @Param(value = "queryOpts", optional = true) Object queryOpts) {
        Integer id = null;
        String name = null;
        if (info != null) {
            Object key = Args.nameOrId(info, "info");
            if (key instanceof Integer i) {
                id = i;
            } else {
                name = (String) key;
            }
        }
        return tags.targets(id, name, tagId(buildTagID), tagId(destTagID));
    }

    /** Koji takes a tag id or name for buildTagID/destTagID; an unknown name matches nothing. */
    private Integer tagId(Object v) {
        if (v == null) {
            return null;
        }
        Object key = Args.nameOrId(v, "tag");
        if (key instanceof Integer i) {
            return i;
        }
        return tags.find(key).map(t -> (Integer) t.get("id")).orElse(-1);
    }

    @KojiMethod(value = "getBuildTarget", readOnly = true)
    public Map<String, Object> getBuildTarget(@Param("info") Object info, @Param(value = "event", optional = true) Object event,
            @Param(value = "strict", optional = true) Boolean strict) {
        var found = getBuildTargets(info, null, null, null, null);
        if (found.isEmpty()) {
            if (Boolean.TRUE.equals(strict)) {
                throw new GenericError("No such build target: " + Args.nameOrId(info, "info"));
            }
            return null;
        }
        return found.get(0);
    }

    @KojiMethod(value = "getTagGroups", readOnly = true)
    public List<Object> getTagGroups(@Param("tag") Object tag, @KwArgs Map<String, Object> opts) {
        findTag(tag, true);
        return List.of();
    }

    @KojiMethod(value = "mavenEnabled", readOnly = true)
    public boolean mavenEnabled() {
        return false;
    }

    @KojiMethod(value = "winEnabled", readOnly = true)
    public boolean winEnabled() {
        return false;
    }

    /**
     * The newest READY repository of a chroot tag: one is recorded each time the chroot's dnf repository is
     * published (a project tag, which spans chroots, has none). {@code create_event} is the repo id (no
     * events here); {@code koji wait-repo} polls this.
     */
    @KojiMethod(value = "getRepo", readOnly = true)
    public Map<String, Object> getRepo(@Param("tag") Object tag, @Param(value = "state", optional = true) Object state,
            @Param(value = "event", optional = true) Object event, @Param(value = "dist", optional = true) Boolean dist,
            @Param(value = "min_event", optional = true) Object minEvent) {
        Map<String, Object> t = findTag(tag, true);
        int wanted = state instanceof Number n ? n.intValue() : 1;
        var row = db.queryOne("SELECT r.id, r.tag_id, t.name AS tag_name, r.state, r.id AS create_event,"
                + " extract(epoch FROM r.create_time)::float8 AS create_ts, r.create_time AS creation_time,"
                + " extract(epoch FROM r.create_time)::float8 AS creation_ts, extract(epoch FROM r.create_time)::float8 AS state_ts,"
                + " r.id AS begin_event, CAST(NULL AS integer) AS end_event, false AS dist, CAST(NULL AS integer) AS task_id,"
                + " CAST(NULL AS integer) AS task_state FROM repos r JOIN tags t ON t.id = r.tag_id WHERE r.tag_id = ? AND r.state = ?"
                + " AND (CAST(? AS integer) IS NULL OR r.id >= ?) ORDER BY r.id DESC LIMIT 1", t.get("id"), wanted,
                minEvent instanceof Number n ? n.intValue() : null, minEvent instanceof Number n ? n.intValue() : null);
        return row.map(r -> {
            Map<String, Object> m = new java.util.LinkedHashMap<>(r);
            m.put("opts", Map.of("src", false, "debuginfo", false, "separate_src", false));
            m.put("custom_opts", Map.of());
            return m;
        }).orElse(null);
    }

    @KojiMethod(value = "getTagExternalRepos", readOnly = true)
    public List<Object> getTagExternalRepos(@Param(value = "tag_info", optional = true) Object tagInfo,
            @Param(value = "repo_info", optional = true) Object repoInfo, @Param(value = "event", optional = true) Object event) {
        return List.of();
    }

    @KojiMethod(value = "getInheritanceData", readOnly = true)
    public List<Map<String, Object>> getInheritanceData(@Param("tag") Object tag,
            @Param(value = "event", optional = true) Object event) {
        return tags.parents((Integer) findTag(tag, true).get("id"));
    }

    /** Chroot tags have one parent (their project tag), project tags none: one level is the whole tree. */
    @KojiMethod(value = "getFullInheritance", readOnly = true)
    public List<Map<String, Object>> getFullInheritance(@Param("tag") Object tag,
            @Param(value = "event", optional = true) Object event, @Param(value = "reverse", optional = true) Boolean reverse,
            @KwArgs Map<String, Object> kw) {
        int id = (Integer) findTag(tag, true).get("id");
        List<Map<String, Object>> out = new ArrayList<>();
        for (var r : Boolean.TRUE.equals(reverse) ? tags.children(id) : tags.parents(id)) {
            Map<String, Object> m = new LinkedHashMap<>(r);
            m.put("currdepth", 1);
            m.put("nextdepth", r.get("maxdepth") == null ? null : ((Integer) r.get("maxdepth")) - 1);
            m.put("filter", List.of());
            out.add(m);
        }
        return out;
    }
}

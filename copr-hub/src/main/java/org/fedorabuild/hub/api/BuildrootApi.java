package org.fedorabuild.hub.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.compat.server.KojiMethod;
import org.fedorabuild.compat.server.KwArgs;
import org.fedorabuild.compat.server.Param;
import org.fedorabuild.hub.db.Db;

/**
 * Koji's buildroot and RPM lookups over the records {@code BuildrootRecords} keeps: {@code getBuildroot},
 * {@code listBuildroots} (as {@code koji taskinfo}, {@code hostinfo} and {@code rpminfo --buildroots} call
 * it), {@code getRPM} and {@code getRPMHeaders}, so {@code koji list-buildroot} and {@code koji rpminfo} work.
 */
public final class BuildrootApi {
    /** Koji's buildroot struct; repo ids are 0: builds here use no Koji repo. */
    static final String SELECT = "SELECT br.id, br.arch, br.task_id, br.host_id, h.name AS host_name, h.arches AS host_arch,"
            + " br.tag_id, t.name AS tag_name, 0 AS repo_id, CAST(NULL AS integer) AS repo_create_event_id,"
            + " CAST(NULL AS text) AS repo_create_event_time, CAST(NULL AS integer) AS repo_state, br.state, br.br_type,"
            + " br.id AS create_event_id, br.create_ts AS create_event_time, extract(epoch FROM br.create_ts)::float8 AS create_ts,"
            + " CASE WHEN br.retire_ts IS NULL THEN NULL ELSE br.id END AS retire_event_id, br.retire_ts AS retire_event_time,"
            + " extract(epoch FROM br.retire_ts)::float8 AS retire_ts, 'chroot' AS container_type, br.arch AS container_arch,"
            + " 'linux' AS host_os, CAST(NULL AS text) AS extra, CAST(NULL AS integer) AS cg_id, CAST(NULL AS text) AS cg_name,"
            + " CAST(NULL AS text) AS cg_version FROM buildroots br LEFT JOIN hosts h ON h.id = br.host_id"
            + " LEFT JOIN tags t ON t.id = br.tag_id ";

    private final Db db;

    public BuildrootApi(Db db) {
        this.db = db;
    }

    @KojiMethod(value = "getBuildroot", readOnly = true)
    public Map<String, Object> getBuildroot(@Param("buildrootID") Object buildrootID, @Param(value = "strict", optional = true) Boolean strict) {
        int id = Args.id(buildrootID, "buildrootID");
        return db.queryOne(SELECT + "WHERE br.id = ?", id).orElseGet(() -> {
            if (Boolean.TRUE.equals(strict)) {
                throw new GenericError("No such buildroot: " + id);
            }
            return null;
        });
    }

    @KojiMethod(value = "listBuildroots", readOnly = true)
    public List<Map<String, Object>> listBuildroots(@KwArgs Map<String, Object> kw, @Param(value = "hostID", optional = true) Object hostID,
            @Param(value = "tagID", optional = true) Object tagID, @Param(value = "state", optional = true) Object state,
            @Param(value = "rpmID", optional = true) Object rpmID, @Param(value = "archiveID", optional = true) Object archiveID,
            @Param(value = "taskID", optional = true) Object taskID, @Param(value = "buildrootID", optional = true) Object buildrootID,
            @Param(value = "repoID", optional = true) Object repoID, @Param(value = "queryOpts", optional = true) Object queryOpts) {
        if (archiveID != null || (repoID != null && !Long.valueOf(0).equals(repoID))) {
            return List.of();
        }
        StringBuilder where = new StringBuilder("WHERE true");
        List<Object> args = new ArrayList<>();
        filter(where, args, "br.host_id", hostID, "hostID");
        filter(where, args, "br.tag_id", tagID, "tagID");
        filter(where, args, "br.task_id", taskID, "taskID");
        filter(where, args, "br.id", buildrootID, "buildrootID");
        if (state != null) {
            List<?> states = state instanceof List<?> l ? l : List.of(state);
            where.append(" AND br.state = ANY(?)");
            args.add(states.stream().map(s -> Args.id(s, "state")).toArray(Integer[]::new));
        }
        if (rpmID != null) {
            where.append(" AND br.id IN (SELECT buildroot_id FROM buildroot_listing WHERE installed AND rpm_id = ?)");
            args.add(Args.id(rpmID, "rpmID"));
        }
        return db.query(SELECT + where + " ORDER BY br.id", args.toArray());
    }

    private static void filter(StringBuilder where, List<Object> args, String column, Object value, String what) {
        if (value != null) {
            where.append(" AND ").append(column).append(" = ?");
            args.add(Args.id(value, what));
        }
    }

    /**
     * Koji's getRPM: by id, by {@code name-version-release.arch} (an optional {@code epoch:} before the
     * version), or by a struct with those fields.
     */
    @KojiMethod(value = "getRPM", readOnly = true)
    public Object getRPM(@Param("rpminfo") Object rpminfo, @Param(value = "strict", optional = true) Boolean strict,
            @Param(value = "multi", optional = true) Boolean multi) {
        List<Map<String, Object>> rows;
        if (rpminfo instanceof Number || rpminfo instanceof Map<?, ?> m && m.get("id") != null) {
            Object id = rpminfo instanceof Map<?, ?> m ? m.get("id") : rpminfo;
            rows = db.query(BuildApi.RPM_SELECT + "WHERE r.id = ?", Args.id(id, "rpminfo"));
        } else if (rpminfo instanceof String s && s.matches("(.+)-([^-]+)-([^-]+)\\.([^.]+)")) {
            String[] nvra = splitNvra(s);
            rows = db.query(BuildApi.RPM_SELECT + "WHERE r.name = ? AND r.version = ? AND r.release = ? AND r.arch = ? ORDER BY r.id",
                    nvra[0], nvra[1], nvra[2], nvra[3]);
        } else if (rpminfo instanceof Map<?, ?> m && m.get("name") != null) {
            rows = db.query(BuildApi.RPM_SELECT + "WHERE r.name = ? AND r.version = ? AND r.release = ? AND r.arch = ? ORDER BY r.id",
                    String.valueOf(m.get("name")), String.valueOf(m.get("version")), String.valueOf(m.get("release")),
                    String.valueOf(m.get("arch")));
        } else {
            throw new org.fedorabuild.compat.fault.KojiFault.ParameterError("Invalid type for rpminfo: " + rpminfo);
        }
        if (Boolean.TRUE.equals(multi)) {
            return rows;
        }
        if (rows.isEmpty()) {
            if (Boolean.TRUE.equals(strict)) {
                throw new GenericError("No such rpm: " + rpminfo);
            }
            return null;
        }
        return rows.get(0);
    }

    /** {name, version, release, arch} of {@code name-[epoch:]version-release.arch}. */
    static String[] splitNvra(String s) {
        int dot = s.lastIndexOf('.');
        String nvr = s.substring(0, dot);
        int r = nvr.lastIndexOf('-');
        int v = nvr.lastIndexOf('-', r - 1);
        String version = nvr.substring(v + 1, r);
        return new String[] {nvr.substring(0, v), version.contains(":") ? version.substring(version.indexOf(':') + 1) : version,
                nvr.substring(r + 1), s.substring(dot + 1)};
    }

    /** Headers are not kept on the hub (reading one means parsing a stranger's file): none are answered. */
    @KojiMethod(value = "getRPMHeaders", readOnly = true)
    public Map<String, Object> getRPMHeaders(@KwArgs Map<String, Object> kw, @Param(value = "rpmID", optional = true) Object rpmID,
            @Param(value = "taskID", optional = true) Object taskID, @Param(value = "filepath", optional = true) Object filepath,
            @Param(value = "headers", optional = true) Object headers, @Param(value = "strict", optional = true) Boolean strict) {
        return Map.of();
    }
}

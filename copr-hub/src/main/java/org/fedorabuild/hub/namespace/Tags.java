package org.fedorabuild.hub.namespace;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedorabuild.hub.db.Db;

/** Reads the Koji tags and targets that represent projects and chroots, in the structs clients read. */
public final class Tags {
    static final String TAG_SELECT = "SELECT t.id, t.name, t.perm_id, p.name AS perm, t.arches, t.locked,"
            + " false AS maven_support, false AS maven_include_all FROM tags t LEFT JOIN permissions p ON p.id = t.perm_id ";
    static final String TARGET_SELECT = "SELECT bt.build_tag, b.name AS build_tag_name, bt.dest_tag, d.name AS dest_tag_name,"
            + " bt.id, bt.name FROM build_targets bt JOIN tags b ON b.id = bt.build_tag JOIN tags d ON d.id = bt.dest_tag ";

    /** Tags of deleted projects are hidden from clients (copr-hub project delete). */
    static final String LIVE = " AND t.project_id NOT IN (SELECT id FROM projects WHERE deleted_time IS NOT NULL)";

    private final Db db;

    public Tags(Db db) {
        this.db = db;
    }

    /** An Integer is an id, a String a name. */
    public Optional<Map<String, Object>> find(Object idOrName) {
        var row = idOrName instanceof Integer id ? db.queryOne(TAG_SELECT + "WHERE t.id = ?" + LIVE, id)
                : db.queryOne(TAG_SELECT + "WHERE t.name = ?" + LIVE, idOrName);
        return row.map(Tags::withExtra);
    }

    public List<Map<String, Object>> all() {
        return db.query(TAG_SELECT + "WHERE true" + LIVE + " ORDER BY t.name");
    }

    /** Tags a build is tagged into. */
    public List<Map<String, Object>> ofBuild(int buildId) {
        return db.query(TAG_SELECT + "JOIN tag_listing tl ON tl.tag_id = t.id WHERE tl.build_id = ? ORDER BY t.name", buildId);
    }

    /** Tags whose package list holds the package, with the listing's owner and flags. */
    public List<Map<String, Object>> ofPackage(int packageId) {
        return db.query("SELECT t.id, t.name, t.perm_id, p.name AS perm, t.arches, t.locked, false AS maven_support,"
                + " false AS maven_include_all, tp.owner_id, u.name AS owner_name, tp.blocked, tp.extra_arches"
                + " FROM tags t LEFT JOIN permissions p ON p.id = t.perm_id JOIN tag_packages tp ON tp.tag_id = t.id"
                + " JOIN users u ON u.id = tp.owner_id WHERE tp.package_id = ? ORDER BY t.name", packageId);
    }

    private static Map<String, Object> withExtra(Map<String, Object> row) {
        Map<String, Object> m = new LinkedHashMap<>(row);
        m.put("extra", new LinkedHashMap<>());
        return m;
    }

    /**
     * Targets filtered like getBuildTargets: by target id or name, build tag id, dest tag id; a null
     * filter matches all.
     */
    public List<Map<String, Object>> targets(Integer id, String name, Integer buildTagId, Integer destTagId) {
        return db.query(TARGET_SELECT + "WHERE (CAST(? AS integer) IS NULL OR bt.id = ?) AND (CAST(? AS text) IS NULL OR bt.name = ?)"
                + " AND (CAST(? AS integer) IS NULL OR bt.build_tag = ?) AND (CAST(? AS integer) IS NULL OR bt.dest_tag = ?)"
                + " ORDER BY bt.name", id, id, name, name, buildTagId, buildTagId, destTagId, destTagId);
    }

    /** Koji's getInheritanceData rows: the direct parents of a tag. */
    public List<Map<String, Object>> parents(int tagId) {
        return db.query("SELECT ti.parent_id, ti.tag_id AS child_id, p.name, ti.priority, ti.maxdepth, ti.intransitive,"
                + " ti.noconfig, ti.pkg_filter FROM tag_inheritance ti JOIN tags p ON p.id = ti.parent_id"
                + " WHERE ti.tag_id = ? ORDER BY ti.priority", tagId);
    }

    /** Children of a tag (getFullInheritance reverse). */
    public List<Map<String, Object>> children(int tagId) {
        return db.query("SELECT ti.parent_id, ti.tag_id AS child_id, c.name, ti.priority, ti.maxdepth, ti.intransitive,"
                + " ti.noconfig, ti.pkg_filter FROM tag_inheritance ti JOIN tags c ON c.id = ti.tag_id"
                + " WHERE ti.parent_id = ? ORDER BY ti.priority, c.name", tagId);
    }
}

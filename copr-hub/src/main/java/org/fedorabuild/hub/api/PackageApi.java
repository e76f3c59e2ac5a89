package org.fedorabuild.hub.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.compat.server.KojiMethod;
import org.fedorabuild.compat.server.Param;
import org.fedorabuild.hub.auth.Access;
import org.fedorabuild.hub.auth.Caller;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.namespace.Projects;
import org.fedorabuild.hub.namespace.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packages and project package lists. A project's package list lives on its project tag (chroot tags
 * inherit it). Builders of a project may add packages; only its admins may block or remove them.
 */
public final class PackageApi {
    private static final Logger LOG = LoggerFactory.getLogger(PackageApi.class);
    private static final String LISTING = "SELECT tp.package_id, pk.name AS package_name, tp.tag_id, t.name AS tag_name,"
            + " tp.extra_arches, tp.blocked, tp.owner_id, u.name AS owner_name FROM tag_packages tp"
            + " JOIN packages pk ON pk.id = tp.package_id JOIN tags t ON t.id = tp.tag_id JOIN users u ON u.id = tp.owner_id ";

    private final Db db;
    private final Tags tags;
    private final Projects projects;
    private final Access access;

    public PackageApi(Db db, Tags tags, Projects projects, Access access) {
        this.db = db;
        this.tags = tags;
        this.projects = projects;
        this.access = access;
    }

    Map<String, Object> findPackage(Object info, boolean strict) {
        Object key = Args.nameOrId(info, "info");
        var row = key instanceof Integer id ? db.queryOne("SELECT id, name FROM packages WHERE id = ?", id)
                : db.queryOne("SELECT id, name FROM packages WHERE name = ?", key);
        if (row.isEmpty() && strict) {
            throw new GenericError("No such package: " + Args.repr(key));
        }
        return row.orElse(null);
    }

    @KojiMethod(value = "getPackage", readOnly = true)
    public Map<String, Object> getPackage(@Param("info") Object info, @Param(value = "strict", optional = true) Boolean strict,
            @Param(value = "create", optional = true) Boolean create) {
        return findPackage(info, Boolean.TRUE.equals(strict));
    }

    @KojiMethod(value = "getPackageID", readOnly = true)
    public Integer getPackageID(@Param("name") String name, @Param(value = "strict", optional = true) Boolean strict) {
        var p = findPackage(name, Boolean.TRUE.equals(strict));
        return p == null ? null : (Integer) p.get("id");
    }

    @KojiMethod(value = "listPackages", readOnly = true)
    public Object listPackages(org.fedorabuild.compat.server.CallContext ctx, @Param(value = "tagID", optional = true) Object tagID,
            @Param(value = "userID", optional = true) Object userID, @Param(value = "pkgID", optional = true) Object pkgID,
            @Param(value = "prefix", optional = true) String prefix, @Param(value = "inherited", optional = true) Boolean inherited,
            @Param(value = "with_dups", optional = true) Boolean withDups, @Param(value = "event", optional = true) Object event,
            @Param(value = "queryOpts", optional = true) Object queryOpts,
            @Param(value = "with_owners", optional = true) Boolean withOwners,
            @Param(value = "with_blocked", optional = true) Boolean withBlocked) {
        QueryOpts q = QueryOpts.from(queryOpts, ctx);
        if (tagID == null && userID == null && pkgID == null) {
            List<Map<String, Object>> all = db.query("SELECT id AS package_id, name AS package_name FROM packages"
                    + " WHERE (CAST(? AS text) IS NULL OR name LIKE ?)"
                    + q.tail(Map.of("package_name", "name", "package_id", "id"), "id"),
                    prefix, prefix == null ? null : Args.prefixLike(prefix));
            return q.countOnly() ? all.size() : all;
        }
        List<Integer> tagIds = new ArrayList<>();
        if (tagID != null) {
            var tag = tags.find(Args.nameOrId(tagID, "tagID")).orElseThrow(() -> new GenericError("No such tag: " + Args.repr(tagID)));
            tagIds.add((Integer) tag.get("id"));
            if (inherited == null || inherited) {
                tags.parents((Integer) tag.get("id")).forEach(p -> tagIds.add((Integer) p.get("parent_id")));
            }
        }
        Integer userId = null;
        if (userID != null) {
            Object key = Args.nameOrId(userID, "userID");
            userId = key instanceof Integer i ? i : access.users().byName((String) key).map(u -> (Integer) u.get("id")).orElse(-1);
        }
        Integer pkgId = null;
        if (pkgID != null) {
            var p = findPackage(pkgID, false);
            pkgId = p == null ? -1 : (Integer) p.get("id");
        }
        List<Map<String, Object>> rows = db.query(LISTING + "WHERE (CAST(? AS integer[]) IS NULL OR tp.tag_id = ANY(?))"
                + " AND (CAST(? AS integer) IS NULL OR tp.owner_id = ?) AND (CAST(? AS integer) IS NULL OR tp.package_id = ?)"
                + " AND (CAST(? AS text) IS NULL OR pk.name LIKE ?) AND (? OR NOT tp.blocked)"
                + q.tail(Map.of("package_name", "pk.name", "tag_name", "t.name", "owner_name", "u.name"), "pk.name, t.name"),
                tagIds.isEmpty() ? null : tagIds.toArray(new Integer[0]), tagIds.isEmpty() ? null : tagIds.toArray(new Integer[0]),
                userId, userId, pkgId, pkgId, prefix, prefix == null ? null : Args.prefixLike(prefix),
                withBlocked == null || withBlocked);
        if (!tagIds.isEmpty() && !Boolean.TRUE.equals(withDups)) {
            // The nearest tag's entry wins, as with Koji's inheritance (own tag before parents).
            List<Integer> seen = new ArrayList<>();
            List<Map<String, Object>> nearest = new ArrayList<>();
            for (int tagId : tagIds) {
                for (var r : rows) {
                    if (r.get("tag_id").equals(tagId) && !seen.contains((Integer) r.get("package_id"))) {
                        seen.add((Integer) r.get("package_id"));
                        nearest.add(r);
                    }
                }
            }
            nearest.sort((a, b) -> ((String) a.get("package_name")).compareTo((String) b.get("package_name")));
            rows = nearest;
        }
        return q.countOnly() ? rows.size() : rows;
    }

    private Projects.Project projectTag(Object taginfo) {
        var tag = tags.find(Args.nameOrId(taginfo, "taginfo"))
                .orElseThrow(() -> new GenericError("No such tagInfo: " + Args.repr(taginfo)));
        Projects.Project p = projects.ofTag((Integer) tag.get("id")).orElseThrow();
        if (p.tagId() != (Integer) tag.get("id")) {
            throw new GenericError("package lists belong to project tags: use " + p.name().tagName() + ", not " + tag.get("name"));
        }
        return p;
    }

    private int packageId(Object pkginfo) {
        Object key = Args.nameOrId(pkginfo, "pkginfo");
        var p = findPackage(key, key instanceof Integer);
        if (p != null) {
            return (Integer) p.get("id");
        }
        String name = (String) key;
        if (!name.matches("[A-Za-z0-9_.+-]{1,200}")) {
            throw new GenericError("invalid package name '" + name + "'");
        }
        return db.insert("INSERT INTO packages (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name"
                + " RETURNING id", name);
    }

    @KojiMethod("packageListAdd")
    public Object packageListAdd(CallContext ctx, @Param("taginfo") Object taginfo, @Param("pkginfo") Object pkginfo,
            @Param(value = "owner", optional = true) Object owner, @Param(value = "block", optional = true) Boolean block,
            @Param(value = "extra_arches", optional = true) String extraArches,
            @Param(value = "force", optional = true) Boolean force, @Param(value = "update", optional = true) Boolean update) {
        Projects.Project p = projectTag(taginfo);
        Caller c = access.assertProjectRole(ctx, p.id(), p.name().tagName(), Boolean.TRUE.equals(block) ? "admin" : "builder");
        int ownerId = c.userId();
        if (owner != null) {
            Object key = Args.nameOrId(owner, "owner");
            var u = key instanceof Integer i ? access.users().byId(i) : access.users().byName((String) key);
            ownerId = (Integer) u.orElseThrow(() -> new GenericError("No such user: " + Args.repr(key))).get("id");
        }
        int pkgId = packageId(pkginfo);
        db.update("INSERT INTO tag_packages (tag_id, package_id, owner_id, blocked, extra_arches) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (tag_id, package_id) DO UPDATE SET owner_id = EXCLUDED.owner_id,"
                + " blocked = EXCLUDED.blocked OR tag_packages.blocked, extra_arches = EXCLUDED.extra_arches",
                p.tagId(), pkgId, ownerId, Boolean.TRUE.equals(block), extraArches);
        LOG.info("Project {} - package {} listed by {}", p.name(), pkginfo, c.name());
        return null;
    }

    private Object changeListing(CallContext ctx, Object taginfo, Object pkginfo, String what) {
        Projects.Project p = projectTag(taginfo);
        Caller c = access.assertProjectRole(ctx, p.id(), p.name().tagName(), "admin");
        var pkg = findPackage(pkginfo, true);
        int n = switch (what) {
            case "block" -> db.update("INSERT INTO tag_packages (tag_id, package_id, owner_id, blocked) VALUES (?, ?, ?, true)"
                    + " ON CONFLICT (tag_id, package_id) DO UPDATE SET blocked = true", p.tagId(), pkg.get("id"), c.userId());
            case "unblock" -> db.update("UPDATE tag_packages SET blocked = false WHERE tag_id = ? AND package_id = ?",
                    p.tagId(), pkg.get("id"));
            default -> db.update("DELETE FROM tag_packages WHERE tag_id = ? AND package_id = ?", p.tagId(), pkg.get("id"));
        };
        if (n == 0) {
            throw new GenericError("package " + pkg.get("name") + " is not in tag " + p.name().tagName());
        }
        LOG.info("Project {} - package {} {} by {}", p.name(), pkg.get("name"), what, c.name());
        return null;
    }

    @KojiMethod("packageListBlock")
    public Object packageListBlock(CallContext ctx, @Param("taginfo") Object taginfo, @Param("pkginfo") Object pkginfo,
            @Param(value = "force", optional = true) Boolean force) {
        return changeListing(ctx, taginfo, pkginfo, "block");
    }

    @KojiMethod("packageListUnblock")
    public Object packageListUnblock(CallContext ctx, @Param("taginfo") Object taginfo, @Param("pkginfo") Object pkginfo,
            @Param(value = "force", optional = true) Boolean force) {
        return changeListing(ctx, taginfo, pkginfo, "unblock");
    }

    @KojiMethod("packageListRemove")
    public Object packageListRemove(CallContext ctx, @Param("taginfo") Object taginfo, @Param("pkginfo") Object pkginfo,
            @Param(value = "force", optional = true) Boolean force) {
        return changeListing(ctx, taginfo, pkginfo, "remove");
    }
}

package org.fedorabuild.hub.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.hub.db.Db;

/**
 * Users, groups and permissions, Koji style: one name space for normal users, HOST users and groups
 * (Copr groups carry their '@'); a user holds its own permissions and those of its groups.
 */
public final class Users {
    public static final int NORMAL = 0;
    public static final int HOST = 1;
    public static final int GROUP = 2;

    /** User and host names: FAS-like, safe in URLs, paths and tag names. */
    public static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    public static final String GROUP_PATTERN = "@" + NAME_PATTERN;

    private static final String USER_COLUMNS = "SELECT id, name, status, usertype FROM users ";

    private final Db db;

    public Users(Db db) {
        this.db = db;
    }

    public Optional<Map<String, Object>> byId(int id) {
        return db.queryOne(USER_COLUMNS + "WHERE id = ?", id);
    }

    public Optional<Map<String, Object>> byName(String name) {
        return db.queryOne(USER_COLUMNS + "WHERE name = ?", name);
    }

    /** Koji's getUser struct: {id, name, status, usertype, krb_principals}. */
    public static Map<String, Object> struct(Map<String, Object> row) {
        Map<String, Object> u = new LinkedHashMap<>(row);
        u.put("krb_principals", List.of());
        return u;
    }

    public int create(String name, int usertype) {
        String pattern = usertype == GROUP ? GROUP_PATTERN : NAME_PATTERN;
        if (name == null || !name.matches(pattern)) {
            throw new GenericError("invalid " + (usertype == GROUP ? "group" : "user") + " name '" + name
                    + "': expected " + (usertype == GROUP ? "@" : "") + "letters, digits, '.', '_' or '-'");
        }
        if (byName(name).isPresent()) {
            throw new GenericError("user or group already exists: " + name);
        }
        return db.insert("INSERT INTO users (name, usertype) VALUES (?, ?) RETURNING id", name, usertype);
    }

    public int count() {
        return ((Number) db.scalar("SELECT count(*) FROM users WHERE usertype = 0").orElse(0L)).intValue();
    }

    public void addMember(int groupId, int userId) {
        db.update("INSERT INTO user_groups (user_id, group_id) VALUES (?, ?) ON CONFLICT DO NOTHING", userId, groupId);
    }

    public List<String> groupsOf(int userId) {
        List<String> names = new ArrayList<>();
        for (var r : db.query("SELECT g.name FROM user_groups ug JOIN users g ON g.id = ug.group_id WHERE ug.user_id = ?"
                + " ORDER BY g.name", userId)) {
            names.add((String) r.get("name"));
        }
        return names;
    }

    public boolean isMember(int userId, int groupId) {
        return db.queryOne("SELECT 1 FROM user_groups WHERE user_id = ? AND group_id = ?", userId, groupId).isPresent();
    }

    /** Permission names held directly or through groups. */
    public List<String> perms(int userId) {
        List<String> names = new ArrayList<>();
        for (var r : db.query("SELECT DISTINCT p.name FROM user_perms up JOIN permissions p ON p.id = up.perm_id"
                + " WHERE up.user_id = ? OR up.user_id IN (SELECT group_id FROM user_groups WHERE user_id = ?)"
                + " ORDER BY p.name", userId, userId)) {
            names.add((String) r.get("name"));
        }
        return names;
    }

    /** Koji's getUserPermsInheritance: perm → [None] when direct, else the group names granting it. */
    public Map<String, List<String>> permsInheritance(int userId) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (var r : db.query("SELECT p.name AS perm, CASE WHEN up.user_id = ? THEN NULL ELSE u.name END AS via"
                + " FROM user_perms up JOIN permissions p ON p.id = up.perm_id JOIN users u ON u.id = up.user_id"
                + " WHERE up.user_id = ? OR up.user_id IN (SELECT group_id FROM user_groups WHERE user_id = ?)"
                + " ORDER BY p.name, via NULLS FIRST", userId, userId, userId)) {
            out.computeIfAbsent((String) r.get("perm"), k -> new ArrayList<>()).add((String) r.get("via"));
        }
        return out;
    }

    public boolean hasPerm(int userId, String perm) {
        List<String> perms = perms(userId);
        return perms.contains(perm) || perms.contains("admin");
    }

    public List<Map<String, Object>> allPerms() {
        return db.query("SELECT id, name, description FROM permissions ORDER BY id");
    }

    /** Grants {@code perm}; returns false when the user already had it. */
    public boolean grant(int userId, String perm) {
        int permId = db.scalar("SELECT id FROM permissions WHERE name = ?", perm)
                .map(v -> ((Number) v).intValue())
                .orElseThrow(() -> new GenericError("No such permission: " + perm));
        return db.update("INSERT INTO user_perms (user_id, perm_id) VALUES (?, ?) ON CONFLICT DO NOTHING", userId, permId) > 0;
    }

    public boolean revoke(int userId, String perm) {
        return db.update("DELETE FROM user_perms WHERE user_id = ? AND perm_id = (SELECT id FROM permissions WHERE name = ?)",
                userId, perm) > 0;
    }
}

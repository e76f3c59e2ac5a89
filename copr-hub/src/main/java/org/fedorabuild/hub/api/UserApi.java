package org.fedorabuild.hub.api;

import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.compat.server.KojiMethod;
import org.fedorabuild.compat.server.Param;
import org.fedorabuild.hub.auth.Access;
import org.fedorabuild.hub.auth.Caller;
import org.fedorabuild.hub.auth.Users;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Users and permissions: getUser, getPerms, hasPerm, getAllPerms, getUserPerms(Inheritance), grant/revoke. */
public final class UserApi {
    private static final Logger LOG = LoggerFactory.getLogger(UserApi.class);

    private final Users users;
    private final Access access;

    public UserApi(Users users, Access access) {
        this.users = users;
        this.access = access;
    }

    Map<String, Object> findUser(Object info) {
        Object key = Args.nameOrId(info, "userInfo");
        return (key instanceof Integer id ? users.byId(id) : users.byName((String) key)).orElse(null);
    }

    @KojiMethod(value = "getUser", readOnly = true)
    public Map<String, Object> getUser(CallContext ctx, @Param(value = "userInfo", optional = true) Object userInfo,
            @Param(value = "strict", optional = true) Boolean strict,
            @Param(value = "krb_princs", optional = true) Boolean krbPrincs,
            @Param(value = "groups", optional = true) Boolean groups) {
        Map<String, Object> row;
        if (userInfo == null) {
            Caller c = Caller.of(ctx);
            row = c.loggedIn() ? users.byId(c.userId()).orElse(null) : null;
        } else {
            row = findUser(userInfo);
        }
        if (row == null) {
            if (Boolean.TRUE.equals(strict)) {
                throw new GenericError("No such user: " + Args.repr(userInfo));
            }
            return null;
        }
        Map<String, Object> u = Users.struct(row);
        if (Boolean.TRUE.equals(groups)) {
            u.put("groups", users.groupsOf((Integer) row.get("id")));
        }
        return u;
    }

    @KojiMethod(value = "getPerms", readOnly = true)
    public List<String> getPerms(CallContext ctx) {
        Caller c = Caller.of(ctx);
        return c.loggedIn() ? users.perms(c.userId()) : List.of();
    }

    @KojiMethod(value = "hasPerm", readOnly = true)
    public boolean hasPerm(CallContext ctx, @Param("perm") String perm, @Param(value = "strict", optional = true) Boolean strict) {
        if (Boolean.TRUE.equals(strict) && users.allPerms().stream().noneMatch(p -> perm.equals(p.get("name")))) {
            throw new GenericError("No such permission " + perm + " defined");
        }
        Caller c = Caller.of(ctx);
        return c.loggedIn() && users.perms(c.userId()).contains(perm);
    }

    @KojiMethod(value = "getAllPerms", readOnly = true)
    public List<Map<String, Object>> getAllPerms() {
        return users.allPerms();
    }

    @KojiMethod(value = "getUserPerms", readOnly = true)
    public List<String> getUserPerms(CallContext ctx, @Param(value = "userID", optional = true) Object userID,
            @Param(value = "with_groups", optional = true) Boolean withGroups) {
        Map<String, Object> u = userID == null ? getUser(ctx, null, false, null, null) : findUser(userID);
        if (u == null) {
            if (userID == null) {
                return List.of();
            }
            throw new GenericError("No such user: " + Args.repr(userID));
        }
        return users.perms((Integer) u.get("id"));
    }

    @KojiMethod(value = "getUserPermsInheritance", readOnly = true)
    public Map<String, List<String>> getUserPermsInheritance(@Param("userID") Object userID) {
        Map<String, Object> u = findUser(userID);
        if (u == null) {
            throw new GenericError("No such user: " + Args.repr(userID));
        }
        return users.permsInheritance((Integer) u.get("id"));
    }

    @KojiMethod("grantPermission")
    public Object grantPermission(CallContext ctx, @Param("userinfo") Object userinfo, @Param("permission") String permission,
            @Param(value = "create", optional = true) Boolean create) {
        Caller c = access.assertPerm(ctx, "admin");
        Map<String, Object> u = findUser(userinfo);
        if (u == null) {
            throw new GenericError("No such user: " + Args.repr(userinfo));
        }
        if (!users.grant((Integer) u.get("id"), permission)) {
            throw new GenericError("user " + u.get("name") + " already has permission: " + permission);
        }
        LOG.info("User {} - granted {} by {}", u.get("name"), permission, c.name());
        return null;
    }

    @KojiMethod("revokePermission")
    public Object revokePermission(CallContext ctx, @Param("userinfo") Object userinfo, @Param("permission") String permission) {
        Caller c = access.assertPerm(ctx, "admin");
        Map<String, Object> u = findUser(userinfo);
        if (u == null) {
            throw new GenericError("No such user: " + Args.repr(userinfo));
        }
        if (!users.revoke((Integer) u.get("id"), permission)) {
            throw new GenericError("user " + u.get("name") + " does not have permission: " + permission);
        }
        LOG.info("User {} - revoked {} by {}", u.get("name"), permission, c.name());
        return null;
    }
}

package org.fedorabuild.hub.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.compat.fault.KojiFault.ParameterError;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.compat.server.KojiMethod;
import org.fedorabuild.compat.server.KwArgs;
import org.fedorabuild.compat.server.Param;
import org.fedorabuild.hub.auth.Access;
import org.fedorabuild.hub.auth.Caller;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.host.Hosts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts and channels as list-hosts, hostinfo and the watchdog read them, and the admin changes
 * (enable, disable, edit, add) that need Koji's {@code host} permission.
 */
public final class HostApi {
    private static final Logger LOG = LoggerFactory.getLogger(HostApi.class);

    private final Db db;
    private final Hosts hosts;
    private final Access access;

    public HostApi(Db db, Hosts hosts, Access access) {
        this.db = db;
        this.hosts = hosts;
        this.access = access;
    }

    private Map<String, Object> findHost(Object info, boolean strict) {
        var host = hosts.find(Args.nameOrId(info, "hostInfo")).orElse(null);
        if (host == null && strict) {
            throw new GenericError("Invalid hostInfo: " + (info instanceof Long l ? l.intValue() : info));
        }
        return host;
    }

    @KojiMethod(value = "getHost", readOnly = true)
    public Map<String, Object> getHost(@Param("hostInfo") Object hostInfo, @Param(value = "strict", optional = true) Boolean strict,
            @Param(value = "event", optional = true) Object event) {
        return findHost(hostInfo, Boolean.TRUE.equals(strict));
    }

    /** Filters as Koji's: any of the arches (whole words), channel, ready, enabled, user. */
    @KojiMethod(value = "listHosts", readOnly = true)
    public Object listHosts(org.fedorabuild.compat.server.CallContext ctx, @Param(value = "arches", optional = true) Object arches,
            @Param(value = "channelID", optional = true) Object channelID, @Param(value = "ready", optional = true) Boolean ready,
            @Param(value = "enabled", optional = true) Boolean enabled, @Param(value = "userID", optional = true) Object userID,
            @Param(value = "queryOpts", optional = true) Object queryOpts) {
        List<String> wanted = null;
        if (arches != null) {
            if (!(arches instanceof List<?> l)) {
                throw new ParameterError("arches must be a list, got " + Args.repr(arches));
            }
            if (l.isEmpty()) {
                throw new GenericError("arches option cannot be empty");
            }
            wanted = l.stream().map(String::valueOf).toList();
        }
        Integer channel = null;
        if (channelID != null) {
            channel = (Integer) hosts.channel(Args.nameOrId(channelID, "channelID"))
                    .orElseThrow(() -> new GenericError("No such channel: " + Args.repr(channelID))).get("id");
        }
        Integer user = null;
        if (userID != null) {
            Object key = Args.nameOrId(userID, "userID");
            user = key instanceof Integer i ? i : access.users().byName((String) key).map(u -> (Integer) u.get("id")).orElse(-1);
        }
        QueryOpts q = QueryOpts.from(queryOpts, ctx);
        List<Map<String, Object>> rows = db.query(Hosts.SELECT
                + "WHERE (CAST(? AS integer) IS NULL OR h.id IN (SELECT host_id FROM host_channels WHERE channel_id = ?))"
                + " AND (CAST(? AS boolean) IS NULL OR h.ready = ?) AND (CAST(? AS boolean) IS NULL OR h.enabled = ?)"
                + " AND (CAST(? AS integer) IS NULL OR h.user_id = ?)"
                + q.tail(Map.of("id", "h.id", "name", "h.name", "update_ts", "h.update_time", "task_load", "h.task_load",
                        "capacity", "h.capacity", "enabled", "h.enabled", "ready", "h.ready"), "h.id"),
                channel, channel, ready, ready, enabled, enabled, user, user);
        if (wanted != null) {
            List<String> w = wanted;
            rows = rows.stream().filter(h -> Hosts.arches(h).stream().anyMatch(w::contains)).toList();
        }
        return q.countOnly() ? rows.size() : rows;
    }

    @KojiMethod(value = "listChannels", readOnly = true)
    public List<Map<String, Object>> listChannels(@Param(value = "hostID", optional = true) Object hostID,
            @Param(value = "event", optional = true) Object event, @Param(value = "enabled", optional = true) Boolean enabled) {
        Integer host = null;
        if (hostID != null) {
            host = (Integer) findHost(hostID, true).get("id");
        }
        return hosts.channels(host, enabled);
    }

    @KojiMethod(value = "getChannel", readOnly = true)
    public Map<String, Object> getChannel(@Param("channelInfo") Object channelInfo,
            @Param(value = "strict", optional = true) Boolean strict) {
        var c = hosts.channel(Args.nameOrId(channelInfo, "channelInfo")).orElse(null);
        if (c == null && Boolean.TRUE.equals(strict)) {
            throw new GenericError("No such channel: " + Args.repr(channelInfo));
        }
        return c;
    }

    @KojiMethod(value = "getLastHostUpdate", readOnly = true)
    public Object getLastHostUpdate(@Param("hostID") int hostID, @Param(value = "ts", optional = true) Boolean ts) {
        return hosts.lastUpdate(hostID, Boolean.TRUE.equals(ts)).orElse(null);
    }

    /** Buildroots are recorded by the builder support of a later step; none exist yet. */
    @KojiMethod(value = "listBuildroots", readOnly = true)
    public List<Object> listBuildroots(@KwArgs Map<String, Object> kw, @Param(value = "hostID", optional = true) Object hostID,
            @Param(value = "tagID", optional = true) Object tagID, @Param(value = "state", optional = true) Object state,
            @Param(value = "rpmID", optional = true) Object rpmID, @Param(value = "archiveID", optional = true) Object archiveID,
            @Param(value = "taskID", optional = true) Object taskID, @Param(value = "buildrootID", optional = true) Object buildrootID,
            @Param(value = "repoID", optional = true) Object repoID, @Param(value = "queryOpts", optional = true) Object queryOpts) {
        return new ArrayList<>();
    }

    @KojiMethod("enableHost")
    public Object enableHost(CallContext ctx, @Param("hostname") Object hostname) {
        return setEnabled(ctx, hostname, true);
    }

    @KojiMethod("disableHost")
    public Object disableHost(CallContext ctx, @Param("hostname") Object hostname) {
        return setEnabled(ctx, hostname, false);
    }

    private Object setEnabled(CallContext ctx, Object hostname, boolean enabled) {
        Caller c = access.assertPerm(ctx, "host");
        var host = hosts.find(Args.nameOrId(hostname, "hostname"))
                .orElseThrow(() -> new GenericError("host does not exist: " + hostname));
        hosts.setEnabled((Integer) host.get("id"), enabled);
        LOG.info("Host {} - {} by {}", host.get("name"), enabled ? "enabled" : "disabled", c.name());
        return null;
    }

    /** Returns true when something changed. Only arches, capacity, description and comment are editable. */
    @KojiMethod("editHost")
    public boolean editHost(CallContext ctx, @Param("hostInfo") Object hostInfo, @KwArgs Map<String, Object> kw) {
        Caller c = access.assertPerm(ctx, "host");
        Map<String, Object> host = findHost(hostInfo, true);
        List<String> changed = new ArrayList<>();
        for (String field : List.of("arches", "capacity", "description", "comment")) {
            if (!kw.containsKey(field)) {
                continue;
            }
            Object v = kw.get(field);
            if (field.equals("capacity")) {
                if (!(v instanceof Number n) || n.doubleValue() <= 0) {
                    throw new ParameterError("Invalid type for value '" + v + "': capacity must be a positive number");
                }
                v = n.doubleValue();
            } else if (v != null && !(v instanceof String)) {
                throw new ParameterError("Invalid type for value '" + v + "': " + v.getClass().getSimpleName() + ", expected str");
            }
            if (field.equals("arches") && (v == null || !((String) v).matches("\\s*[a-z0-9_]+(\\s+[a-z0-9_]+)*\\s*"))) {
                throw new GenericError("invalid arches '" + v + "'");
            }
            if (!java.util.Objects.equals(v, host.get(field))) {
                // The column name comes from the fixed list above, never from the caller.
                db.update("UPDATE hosts SET " + field + " = ? WHERE id = ?", field.equals("arches") ? ((String) v).trim() : v,
                        host.get("id"));
                changed.add(field);
            }
        }
        if (!changed.isEmpty()) {
            LOG.info("Host {} - edited {} by {}", host.get("name"), changed, c.name());
        }
        return !changed.isEmpty();
    }

    @KojiMethod("addHost")
    public int addHost(CallContext ctx, @Param("hostname") String hostname, @Param("arches") List<Object> arches,
            @Param(value = "krb_principal", optional = true) String krbPrincipal,
            @Param(value = "force", optional = true) Boolean force) {
        access.assertPerm(ctx, "host");
        return hosts.add(hostname, arches.stream().map(String::valueOf).toList(), 2.0, null);
    }
}

package org.fedorabuild.hub.host;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.db.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builder hosts as Koji models them: a HOST-type user per host (a builder logs in as it), channels
 * (every host starts in {@code default}), and the fields kojid and the watchdog read. Structs are
 * complete as the CLI dereferences them: {@code arches} a space-separated string, numeric
 * {@code task_load}/{@code capacity}, {@code update_ts} a double or nil.
 */
public final class Hosts {
    private static final Logger LOG = LoggerFactory.getLogger(Hosts.class);

    public static final String SELECT = "SELECT h.id, h.user_id, h.name,"
            + " extract(epoch FROM h.update_time)::float8 AS update_ts, h.ready, h.task_load, h.arches, h.capacity,"
            + " h.description, h.comment, h.enabled FROM hosts h ";

    private final Db db;
    private final Users users;

    public Hosts(Db db, Users users) {
        this.db = db;
        this.users = users;
    }

    /** An int is an id, a string a name (Koji's name-or-id rule; the caller has checked the type). */
    public Optional<Map<String, Object>> find(Object idOrName) {
        if (idOrName instanceof Integer id) {
            return db.queryOne(SELECT + "WHERE h.id = ?", id);
        }
        return db.queryOne(SELECT + "WHERE h.name = ?", idOrName);
    }

    public List<Map<String, Object>> all() {
        return db.query(SELECT + "ORDER BY h.id");
    }

    /**
     * Adds a host with its HOST user and the {@code default} channel; returns the id.
     *
     * @param sshTarget USER@HOST[:PORT] copr-hub uses to reach the builder, or null
     */
    public int add(String name, List<String> arches, double capacity, String sshTarget) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,252}")) {
            throw new GenericError("invalid host name '" + name + "'");
        }
        if (arches.isEmpty() || arches.stream().anyMatch(a -> !a.matches("[a-z0-9_]+"))) {
            throw new GenericError("invalid arches " + arches + ": expected names such as x86_64 aarch64");
        }
        if (capacity <= 0) {
            throw new GenericError("capacity must be positive, got " + capacity);
        }
        if (find(name).isPresent()) {
            throw new GenericError("host already exists: " + name);
        }
        String sshUser = null;
        String sshHost = null;
        Integer sshPort = null;
        if (sshTarget != null) {
            var m = java.util.regex.Pattern.compile("([a-z_][a-z0-9_.-]*)@([A-Za-z0-9.-]+|\\[[0-9a-fA-F:]+\\])(?::(\\d{1,5}))?")
                    .matcher(sshTarget);
            if (!m.matches()) {
                throw new GenericError("invalid ssh target '" + sshTarget + "': expected USER@HOST[:PORT]");
            }
            sshUser = m.group(1);
            sshHost = m.group(2);
            sshPort = m.group(3) == null ? 22 : Integer.parseInt(m.group(3));
        }
        int userId = users.byName(name).map(u -> {
            if ((Integer) u.get("usertype") != Users.HOST) {
                throw new GenericError("user " + name + " already exists and is not a host user");
            }
            return (Integer) u.get("id");
        }).orElseGet(() -> users.create(name, Users.HOST));
        int id = db.insert("INSERT INTO hosts (user_id, name, arches, capacity, ssh_user, ssh_host, ssh_port, driver)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", userId, name, String.join(" ", arches), capacity,
                sshUser, sshHost, sshPort, sshTarget == null ? null : "ssh");
        db.update("INSERT INTO host_channels (host_id, channel_id) SELECT ?, id FROM channels WHERE name = 'default'", id);
        LOG.info("Host {} - added: id {}, arches {}, capacity {}, ssh {}", name, id, arches, capacity, sshTarget);
        return id;
    }

    /** Sets the build backend of a host (mock, rpmbuild; null: the hub's BuildBackend). */
    public void setBackend(int hostId, String backend) {
        if (backend != null && !backend.equals("mock") && !backend.equals("rpmbuild")) {
            throw new GenericError("unknown build backend '" + backend + "', expected mock or rpmbuild");
        }
        db.update("UPDATE hosts SET backend = ? WHERE id = ?", backend, hostId);
    }

    /**
     * Registers (or updates) the hub's own machine as the builder {@code name}, driven with a local transport
     * ({@code serve --local-builder N}); returns its id.
     */
    public int registerLocal(String name, List<String> arches, double capacity, String backend) {
        int id = find(name).map(h -> (Integer) h.get("id")).orElseGet(() -> add(name, arches, capacity, null));
        db.update("UPDATE hosts SET driver = 'local', arches = ?, capacity = ?, backend = ? WHERE id = ?",
                String.join(" ", arches), capacity, backend, id);
        return id;
    }

    public static List<String> arches(Map<String, Object> host) {
        return Arrays.asList(((String) host.get("arches")).trim().split("\\s+"));
    }

    public List<Map<String, Object>> channels(Integer hostId, Boolean enabled) {
        return db.query("SELECT c.id, c.name, c.description, c.enabled, c.comment FROM channels c"
                + " WHERE (CAST(? AS integer) IS NULL OR c.id IN (SELECT channel_id FROM host_channels WHERE host_id = ?))"
                + " AND (CAST(? AS boolean) IS NULL OR c.enabled = ?) ORDER BY c.id", hostId, hostId, enabled, enabled);
    }

    public Optional<Map<String, Object>> channel(Object idOrName) {
        String base = "SELECT id, name, description, enabled, comment FROM channels WHERE ";
        return idOrName instanceof Integer id ? db.queryOne(base + "id = ?", id) : db.queryOne(base + "name = ?", idOrName);
    }

    public void setEnabled(int hostId, boolean enabled) {
        db.update("UPDATE hosts SET enabled = ? WHERE id = ?", enabled, hostId);
    }

    /** Newest activity of any session of the host's user (kojid's task subsessions included). */
    public Optional<Object> lastUpdate(int hostId, boolean ts) {
        String col = ts ? "extract(epoch FROM max(s.update_time))::float8" : "max(s.update_time)";
        return db.scalar("SELECT " + col + " FROM sessions s JOIN hosts h ON h.user_id = s.user_id WHERE h.id = ?", hostId);
    }
}

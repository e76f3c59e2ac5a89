package org.fedorabuild.hub.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.fedorabuild.hub.db.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's leases in {@code hub_leases} (see 007-hub-leases.sql): one SQL statement takes or renews a
 * lease, on the database's clock, so hubs with skewed clocks agree on who holds what. A lease is taken when
 * nobody holds it, when its holder let it lapse, or when it is held under this process's own instance id
 * (that process is gone: a restart of the same hub). Every change of hands raises the epoch, which
 * {@link #fence} checks, so work begun under a lost lease cannot commit.
 */
public final class Leases {
    private static final Logger LOG = LoggerFactory.getLogger(Leases.class);

    private final Db db;
    private final ClusterSettings settings;
    /** Unique for this process, so a restarted hub with the same instance id is a new tenure. */
    private final String process = UUID.randomUUID().toString();

    public Leases(Db db, ClusterSettings settings) {
        this.db = db;
        this.settings = settings;
    }

    public String instanceId() {
        return settings.instanceId();
    }

    public Duration lease() {
        return settings.lease();
    }

    private String interval() {
        return settings.lease().toMillis() + " milliseconds";
    }

    /**
     * Takes or renews the lease {@code name}; returns its epoch when this process holds it now, else empty.
     */
    public OptionalLong hold(String name) {
        return db.tx(() -> db.scalar("INSERT INTO hub_leases (name, holder, process, epoch, expires)"
                + " VALUES (?, ?, ?, 1, now() + CAST(? AS interval)) ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder,"
                + " process = EXCLUDED.process, expires = EXCLUDED.expires,"
                + " epoch = hub_leases.epoch + CASE WHEN hub_leases.process = EXCLUDED.process THEN 0 ELSE 1 END,"
                + " acquired = CASE WHEN hub_leases.process = EXCLUDED.process THEN hub_leases.acquired ELSE now() END"
                + " WHERE hub_leases.process = EXCLUDED.process OR hub_leases.holder = EXCLUDED.holder"
                + " OR hub_leases.expires <= now() RETURNING epoch", name, settings.instanceId(), process, interval()))
                .map(e -> OptionalLong.of(((Number) e).longValue())).orElse(OptionalLong.empty());
    }

    /**
     * Renews the leases {@code names} this process holds in one statement (and its hub_instances heartbeat);
     * returns name -> epoch of those still held.
     */
    public Map<String, Long> renewAll(java.util.Collection<String> names) {
        Map<String, Long> held = new HashMap<>();
        db.tx(() -> {
            for (var r : db.query("UPDATE hub_leases SET expires = now() + CAST(? AS interval) WHERE process = ? AND name = ANY(?)"
                    + " RETURNING name, epoch", interval(), process, (Object) names.toArray(new String[0]))) {
                held.put((String) r.get("name"), ((Number) r.get("epoch")).longValue());
            }
            db.update("INSERT INTO hub_instances (instance_id, process, expires) VALUES (?, ?, now() + CAST(? AS interval))"
                    + " ON CONFLICT (instance_id) DO UPDATE SET process = EXCLUDED.process, heartbeat = now(),"
                    + " expires = EXCLUDED.expires, stopped = false, started = CASE WHEN hub_instances.process = EXCLUDED.process"
                    + " THEN hub_instances.started ELSE now() END", settings.instanceId(), process, interval());
            return null;
        });
        return held;
    }

    /** Hub processes whose heartbeat has not lapsed (at least 1: this one counts once it has renewed). */
    public int liveHubs() {
        return Math.max(1, ((Number) db.scalar("SELECT count(*) FROM hub_instances WHERE expires > now() AND NOT stopped")
                .orElse(1L)).intValue());
    }

    /** Instance ids of the other hub processes whose heartbeat has not lapsed; empty when the database is unreachable. */
    public List<String> otherLiveHubs() {
        try {
            return db.tx(() -> db.query("SELECT instance_id FROM hub_instances WHERE expires > now() AND NOT stopped"
                    + " AND process <> ? ORDER BY instance_id", process)).stream().map(r -> (String) r.get("instance_id")).toList();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /**
     * Hands {@code name} over at once, if this process holds it: expired, and no longer this process's (so
     * neither a renewal nor a fence of this process matches it any more).
     */
    public void release(String name) {
        db.tx(() -> db.update("UPDATE hub_leases SET expires = now(), process = ? WHERE name = ? AND process = ?", RELEASED, name,
                process));
    }

    /** The process of a lease handed over at a clean stop or to even out the builders between hubs. */
    private static final String RELEASED = "released";

    /** At a clean shutdown: every lease of this process is handed over at once and the instance marked stopped. */
    public void releaseAll() {
        try {
            db.tx(() -> {
                int n = db.update("UPDATE hub_leases SET expires = now(), process = ? WHERE process = ?", RELEASED, process);
                db.update("UPDATE hub_instances SET stopped = true, expires = now() WHERE instance_id = ? AND process = ?",
                        settings.instanceId(), process);
                LOG.info("Hub {} - released {} lease(s) for the other hubs", settings.instanceId(), n);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("Hub {} - cannot release its leases (they lapse in {} s): {}", settings.instanceId(),
                    settings.lease().toSeconds(), e.toString());
        }
    }

    /**
     * Inside the caller's transaction: true when this process still holds {@code name} under {@code epoch}.
     * The row is share-locked until the transaction ends, so no other hub can take the lease before the
     * caller's work commits.
     */
    public boolean fence(String name, long epoch) {
        return !db.query("SELECT 1 FROM hub_leases WHERE name = ? AND process = ? AND epoch = ? FOR SHARE", name, process, epoch)
                .isEmpty();
    }

    /** name, holder, epoch and expiry of every lease, for status output and tests. */
    public List<Map<String, Object>> all() {
        return db.query("SELECT name, holder, epoch, expires, expires > now() AS live FROM hub_leases ORDER BY name");
    }
}

package org.fedorabuild.hub.pool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.fedorabuild.hub.db.Db;

/**
 * The order in which waiting tasks are offered to builders. Koji's priority rules first (a lower number runs
 * first; {@code --background} adds 5); among equal priorities, the owner (the project's Copr owner, user or
 * group) with fewer builds running goes first, then the older task. An owner at {@code MaxBuildsPerOwner}
 * gets nothing more until one of its builds ends. So a single build of one owner is the next task placed
 * when a builder frees, however long another owner's queue: it waits at most one dispatch round.
 *
 * <p>The dispatcher, the pool's demand count and the benchmark all use this one order.
 */
public final class FairQueue {
    /** Methods builders run (the others are the hub's own bookkeeping). */
    public static final String BUILDER_METHODS = "('buildArch', 'buildSRPMFromSCM', 'readSrpmDeps')";
    /** Candidates considered per owner and round: enough to fill any fleet, few enough to stay cheap. */
    public static final int PER_OWNER = 200;

    private static final String OWNER = "COALESCE(p.owner_id, t.owner)";

    /** A waiting task. */
    public record Candidate(int id, int owner, String ownerName, int priority, String arch, double weight, double waited) {
    }

    /** Decides whether a candidate gets a builder now. */
    public interface Placer {
        boolean place(Candidate c);
    }

    private FairQueue() {
    }

    /**
     * Offers candidates in fair order; returns those placed. {@code running} (owner → builds running) is
     * updated as tasks are placed; {@code limit} 0 means no per-owner limit.
     */
    public static List<Candidate> offer(List<Candidate> candidates, Map<Integer, Integer> running, int limit, Placer placer) {
        Map<Integer, List<Candidate>> byOwner = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            byOwner.computeIfAbsent(c.owner(), k -> new ArrayList<>()).add(c);
        }
        Comparator<Candidate> taskOrder = Comparator.comparingInt(Candidate::priority).thenComparingInt(Candidate::id);
        byOwner.values().forEach(l -> l.sort(taskOrder));
        Map<Integer, Integer> next = new HashMap<>();
        // keyed when pushed: an owner's key only changes when its own head is taken
        record Entry(int owner, int priority, int running, int id) {
        }
        PriorityQueue<Entry> heap = new PriorityQueue<>(Comparator.comparingInt(Entry::priority)
                .thenComparingInt(Entry::running).thenComparingInt(Entry::id));
        byOwner.forEach((owner, l) -> {
            next.put(owner, 0);
            heap.add(new Entry(owner, l.get(0).priority(), running.getOrDefault(owner, 0), l.get(0).id()));
        });
        List<Candidate> placed = new ArrayList<>();
        while (!heap.isEmpty()) {
            Entry e = heap.poll();
            int n = running.getOrDefault(e.owner(), 0);
            if (limit > 0 && n >= limit) {
                continue;
            }
            List<Candidate> l = byOwner.get(e.owner());
            int i = next.get(e.owner());
            Candidate c = l.get(i);
            next.put(e.owner(), i + 1);
            if (placer.place(c)) {
                running.merge(e.owner(), 1, Integer::sum);
                placed.add(c);
            }
            if (i + 1 < l.size()) {
                heap.add(new Entry(e.owner(), l.get(i + 1).priority(), running.getOrDefault(e.owner(), 0), l.get(i + 1).id()));
            }
        }
        return placed;
    }

    /**
     * The FREE builder tasks, the first {@link #PER_OWNER} of each owner in its own order; with {@code lock},
     * row-locked for this transaction (SKIP LOCKED: another hub's round takes the others).
     */
    public static List<Candidate> waiting(Db db, boolean lock) {
        List<Candidate> out = new ArrayList<>();
        for (var r : db.query("SELECT t.id, t.arch, t.weight, t.priority, " + OWNER + " AS owner_key, u.name AS owner_name,"
                + " extract(epoch FROM now() - t.create_time)::float8 AS waited"
                + " FROM tasks t LEFT JOIN projects p ON p.id = t.project_id JOIN users u ON u.id = " + OWNER
                + " WHERE t.state = 0 AND t.id IN (SELECT id FROM (SELECT t.id, row_number() OVER (PARTITION BY " + OWNER
                + " ORDER BY t.priority, t.id) AS rn FROM tasks t LEFT JOIN projects p ON p.id = t.project_id"
                + " WHERE t.state = 0 AND t.method IN " + BUILDER_METHODS + ") ranked WHERE rn <= " + PER_OWNER + ")"
                + " ORDER BY t.priority, t.id" + (lock ? " FOR UPDATE OF t SKIP LOCKED" : ""))) {
            out.add(new Candidate((Integer) r.get("id"), (Integer) r.get("owner_key"), (String) r.get("owner_name"),
                    (Integer) r.get("priority"), (String) r.get("arch"), (Double) r.get("weight"), (Double) r.get("waited")));
        }
        return out;
    }

    /** Builder tasks running now (OPEN), per owner. */
    public static Map<Integer, Integer> running(Db db) {
        Map<Integer, Integer> out = new HashMap<>();
        for (var r : db.query("SELECT " + OWNER + " AS owner_key, count(*)::int AS n FROM tasks t"
                + " LEFT JOIN projects p ON p.id = t.project_id WHERE t.state = 1 AND t.method IN " + BUILDER_METHODS
                + " GROUP BY 1")) {
            out.put((Integer) r.get("owner_key"), (Integer) r.get("n"));
        }
        return out;
    }
}

package org.fedorabuild.hub.task;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.compat.state.TaskState;
import org.fedorabuild.hub.db.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Koji's task table: the struct clients read, and the state changes admins make. */
public final class Tasks {
    private static final Logger LOG = LoggerFactory.getLogger(Tasks.class);

    // Compile-time shorthands (switch labels need them) for the codes of the one definition, TaskState
    // (fedpkg-compat); the class refuses to load if they ever differ.
    public static final int FREE = 0;
    public static final int OPEN = 1;
    public static final int CLOSED = 2;
    public static final int CANCELED = 3;
    public static final int ASSIGNED = 4;
    public static final int FAILED = 5;
    public static final List<String> STATE_NAMES = java.util.Arrays.stream(TaskState.values()).map(Enum::name).toList();

    static {
        int[] mine = {FREE, OPEN, CLOSED, CANCELED, ASSIGNED, FAILED};
        for (TaskState s : TaskState.values()) {
            if (mine.length != TaskState.values().length || mine[s.ordinal()] != s.code) {
                throw new ExceptionInInitializerError("Tasks' state codes differ from TaskState at " + s);
            }
        }
    }

    /** The task struct of §7.2, in Koji's column order. */
    public static final String COLUMNS = "t.id, t.state, t.create_time, extract(epoch FROM t.create_time)::float8 AS create_ts,"
            + " t.start_time, extract(epoch FROM t.start_time)::float8 AS start_ts,"
            + " t.completion_time, extract(epoch FROM t.completion_time)::float8 AS completion_ts,"
            + " t.channel_id, t.host_id, t.parent, t.label, t.waiting, t.awaited, t.owner, t.method, t.arch,"
            + " t.priority, t.weight";

    private final Db db;

    public Tasks(Db db) {
        this.db = db;
    }

    public Optional<Map<String, Object>> find(int id) {
        return db.queryOne("SELECT " + COLUMNS + " FROM tasks t WHERE t.id = ?", id);
    }

    /** As {@link #find}, with the stored request XML as {@code request} (last). */
    public Optional<Map<String, Object>> findWithRequest(int id) {
        return db.queryOne("SELECT " + COLUMNS + ", t.request FROM tasks t WHERE t.id = ?", id);
    }

    public Optional<String> request(int id) {
        return db.scalar("SELECT request FROM tasks WHERE id = ?", id).map(String.class::cast);
    }

    public List<Map<String, Object>> children(int id) {
        return db.query("SELECT " + COLUMNS + " FROM tasks t WHERE t.parent = ? ORDER BY t.id", id);
    }

    /** Creates a task (FREE, channel {@code default} unless given); returns its id. */
    public int create(int owner, String method, String arch, int priority, String requestXml, Integer parent,
            String label, Integer projectId) {
        return db.insert("INSERT INTO tasks (owner, method, arch, priority, request, parent, label, project_id, channel_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT id FROM channels WHERE name = 'default')) RETURNING id",
                owner, method, arch, priority, requestXml, parent, label, projectId);
    }

    /** Koji's Task.free: back to FREE with no host; finished tasks refuse. */
    public void free(int id) {
        int state = lockedState(id);
        if (state == CLOSED || state == CANCELED || state == FAILED) {
            throw new GenericError("Cannot free task " + id + ", state is " + STATE_NAMES.get(state));
        }
        db.update("UPDATE tasks SET state = ?, host_id = NULL WHERE id = ?", FREE, id);
        LOG.info("Task {} - freed (was {})", id, STATE_NAMES.get(state));
    }

    /**
     * Koji's Task.cancel: true when canceled now or before, false when already closed or failed;
     * with {@code recurse} the unfinished descendants are canceled too.
     */
    public boolean cancel(int id, boolean recurse) {
        int state = lockedState(id);
        if (state == CANCELED) {
            return true;
        }
        if (state == CLOSED || state == FAILED) {
            return false;
        }
        db.update("UPDATE tasks SET state = ?, completion_time = now() WHERE id = ?", CANCELED, id);
        db.update("UPDATE builds SET state = 4, completion_time = now() WHERE task_id = ? AND state = 0", id);
        LOG.info("Task {} - canceled (was {})", id, STATE_NAMES.get(state));
        if (recurse) {
            for (var child : db.query("SELECT id FROM tasks WHERE parent = ? AND state IN (0, 1, 4)", id)) {
                cancel((Integer) child.get("id"), true);
            }
        }
        return true;
    }

    public void setPriority(int id, int priority, boolean recurse) {
        lockedState(id);
        db.update("UPDATE tasks SET priority = ? WHERE id = ?", priority, id);
        if (recurse) {
            for (var child : db.query("SELECT id FROM tasks WHERE parent = ? AND state IN (0, 1, 4)", id)) {
                setPriority((Integer) child.get("id"), priority, true);
            }
        }
    }

    private int lockedState(int id) {
        return db.scalar("SELECT state FROM tasks WHERE id = ? FOR UPDATE", id)
                .map(v -> ((Number) v).intValue())
                .orElseThrow(() -> new GenericError("No such task: " + id));
    }
}

package org.fedorabuild.hub.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault.ActionNotAllowed;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.compat.server.KojiMethod;
import org.fedorabuild.compat.server.Param;
import org.fedorabuild.hub.auth.Access;
import org.fedorabuild.hub.auth.Caller;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.task.TaskPayloads;
import org.fedorabuild.hub.task.Tasks;

/** Koji's task calls: getTaskInfo, listTasks, children, request/result, output listing; free/cancel/priority. */
public final class TaskApi {
    private static final Map<String, String> ORDER = new LinkedHashMap<>();

    static {
        for (String c : List.of("id", "state", "create_time", "start_time", "completion_time", "channel_id", "host_id",
                "parent", "label", "owner", "method", "arch", "priority", "weight")) {
            ORDER.put(c, "t." + c);
        }
        ORDER.put("create_ts", "t.create_time");
        ORDER.put("start_ts", "t.start_time");
        ORDER.put("completion_ts", "t.completion_time");
        ORDER.put("owner_name", "u.name");
    }

    private final Db db;
    private final Tasks tasks;
    private final Access access;
    private final org.fedorabuild.hub.task.TaskOutputs outputs;

    public TaskApi(Db db, Tasks tasks, Access access, org.fedorabuild.hub.task.TaskOutputs outputs) {
        this.outputs = outputs;
        this.db = db;
        this.tasks = tasks;
        this.access = access;
    }

    private Map<String, Object> withRequest(Map<String, Object> task, boolean request) {
        if (task != null && request) {
            task.put("request", TaskPayloads.decodeRequestShared(tasks.request((Integer) task.get("id")).orElseThrow()));
        }
        return task;
    }

    /** A list of ids answers a list (nil for unknown ids); strict turns an unknown id into a fault. */
    @KojiMethod(value = "getTaskInfo", readOnly = true)
    public Object getTaskInfo(@Param("task_id") Object taskId, @Param(value = "request", optional = true) Boolean request,
            @Param(value = "strict", optional = true) Boolean strict) {
        if (taskId instanceof List<?> ids) {
            List<Object> out = new ArrayList<>();
            for (Object id : ids) {
                out.add(getTaskInfo(id, request, strict));
            }
            return out;
        }
        boolean withRequest = Boolean.TRUE.equals(request);
        // one query with the request when it is asked for (this is the hot read of koji watch-task and friends)
        var task = (withRequest ? tasks.findWithRequest(Args.id(taskId, "task_id")) : tasks.find(Args.id(taskId, "task_id")))
                .orElse(null);
        if (task == null && Boolean.TRUE.equals(strict)) {
            // NOTE: Koji's exact text (capture fault-no-such-task).
            throw new GenericError("query returned no rows");
        }
        if (task != null && withRequest) {
            task.put("request", TaskPayloads.decodeRequestShared((String) task.get("request")));
        }
        return task;
    }

    @KojiMethod(value = "getTaskChildren", readOnly = true)
    public List<Map<String, Object>> getTaskChildren(@Param("task_id") int taskId,
            @Param(value = "request", optional = true) Boolean request, @Param(value = "strict", optional = true) Boolean strict) {
        if (Boolean.TRUE.equals(strict) && tasks.find(taskId).isEmpty()) {
            throw new GenericError("No such task: " + taskId);
        }
        List<Map<String, Object>> children = tasks.children(taskId);
        children.forEach(t -> withRequest(t, Boolean.TRUE.equals(request)));
        return children;
    }

    @KojiMethod(value = "getTaskRequest", readOnly = true)
    public List<Object> getTaskRequest(@Param("taskId") int taskId) {
        return TaskPayloads.decodeRequest(tasks.request(taskId).orElseThrow(() -> new GenericError("No such task: " + taskId)));
    }

    /** FAILED re-raises the stored fault; CANCELED and unfinished tasks have no result. */
    @KojiMethod(value = "getTaskResult", readOnly = true)
    public Object getTaskResult(@Param("taskId") int taskId, @Param(value = "raise_fault", optional = true) Boolean raiseFault) {
        var row = db.queryOne("SELECT state, result FROM tasks WHERE id = ?", taskId)
                .orElseThrow(() -> new GenericError("No such task: " + taskId));
        int state = (Integer) row.get("state");
        if (state == Tasks.CANCELED) {
            throw new GenericError("Task " + taskId + " is canceled");
        }
        if ((state != Tasks.CLOSED && state != Tasks.FAILED) || row.get("result") == null) {
            throw new GenericError("Task " + taskId + " is not finished");
        }
        String xml = (String) row.get("result");
        return raiseFault == null || raiseFault ? TaskPayloads.decodeResult(xml) : TaskPayloads.decodeResultForListing(xml);
    }

    /**
     * The files a task output ({@code work/tasks/<id%10000>/<id>/}): names; with {@code all_volumes} a struct
     * {@code {name: ["DEFAULT"]}}; with {@code stat} {@code {name: {st_size (string), st_atime, st_mtime, st_ctime}}}.
     */
    @KojiMethod(value = "listTaskOutput", readOnly = true)
    public Object listTaskOutput(@Param("taskID") int taskID, @Param(value = "stat", optional = true) Boolean stat,
            @Param(value = "all_volumes", optional = true) Boolean allVolumes,
            @Param(value = "strict", optional = true) Boolean strict) throws java.io.IOException {
        if (Boolean.TRUE.equals(strict) && tasks.find(taskID).isEmpty()) {
            throw new GenericError("No such task: " + taskID);
        }
        List<java.nio.file.Path> files = outputs.files(taskID);
        if (!Boolean.TRUE.equals(stat) && !Boolean.TRUE.equals(allVolumes)) {
            return files.stream().map(f -> f.getFileName().toString()).toList();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (java.nio.file.Path f : files) {
            String name = f.getFileName().toString();
            if (Boolean.TRUE.equals(stat)) {
                var a = java.nio.file.Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class);
                Map<String, Object> st = new LinkedHashMap<>();
                st.put("st_size", String.valueOf(a.size()));
                st.put("st_atime", a.lastAccessTime().toMillis() / 1000.0);
                st.put("st_mtime", a.lastModifiedTime().toMillis() / 1000.0);
                st.put("st_ctime", a.lastModifiedTime().toMillis() / 1000.0);
                if (Boolean.TRUE.equals(allVolumes)) {
                    out.put(name, Map.of("DEFAULT", st));
                } else {
                    out.put(name, st);
                }
            } else {
                out.put(name, List.of("DEFAULT"));
            }
        }
        return out;
    }

    /**
     * Bytes of a task output file, base64 text as Koji sends them (watch-logs reads logs with it); streamed
     * from the file while the answer is written, never held whole.
     */
    @KojiMethod(value = "downloadTaskOutput", readOnly = true)
    public Object downloadTaskOutput(@Param("taskID") int taskID, @Param("fileName") String fileName,
            @Param(value = "offset", optional = true) Long offset, @Param(value = "size", optional = true) Long size,
            @Param(value = "volume", optional = true) String volume) throws java.io.IOException {
        if (volume != null && !"DEFAULT".equals(volume)) {
            throw new GenericError("no file \"" + fileName + "\" output by task " + taskID);
        }
        java.nio.file.Path file = fileName.contains("/") || fileName.startsWith(".") ? null : outputs.dir(taskID).resolve(fileName);
        if (file == null || !java.nio.file.Files.isRegularFile(file)) {
            // NOTE: Koji's text.
            throw new GenericError("no file \"" + fileName + "\" output by task " + taskID);
        }
        long off = offset == null ? 0 : offset;
        long want = size == null || size < 0 ? Long.MAX_VALUE : size;
        long len = java.nio.file.Files.size(file);
        if (off < 0) {
            off = Math.max(0, len + off);
        }
        if (off >= len) {
            return "";
        }
        int n = (int) Math.min(Math.min(want, len - off), 16L * 1024 * 1024);
        return new org.fedorabuild.compat.wire.FileBase64(file, off, n);
    }

    @KojiMethod(value = "listTasks", readOnly = true)
    public Object listTasks(org.fedorabuild.compat.server.CallContext ctx, @Param(value = "opts", optional = true) Map<String, Object> opts,
            @Param(value = "queryOpts", optional = true) Object queryOpts) {
        Map<String, Object> o = opts == null ? Map.of() : opts;
        QueryOpts q = QueryOpts.from(queryOpts, ctx);
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> params = new ArrayList<>();
        for (String field : List.of("arch", "state", "owner", "host_id", "channel_id", "parent")) {
            for (boolean not : new boolean[] {false, true}) {
                String key = (not ? "not_" : "") + field;
                if (!o.containsKey(key)) {
                    continue;
                }
                Object v = o.get(key);
                String col = "t." + field;
                if (v == null) {
                    where.append(" AND ").append(col).append(not ? " IS NOT NULL" : " IS NULL");
                } else if (field.equals("arch")) {
                    List<?> l = v instanceof List<?> list ? list : List.of(v);
                    where.append(" AND ").append(not ? "NOT " : "").append(col).append(" = ANY(?)");
                    params.add(l.stream().map(String::valueOf).toArray(String[]::new));
                } else {
                    where.append(" AND ").append(not ? "NOT " : "").append("(").append(col).append(" = ANY(?))");
                    params.add(Args.intArray(v, key));
                }
            }
        }
        if (o.get("method") != null) {
            where.append(" AND t.method = ?");
            params.add(String.valueOf(o.get("method")));
        }
        for (String[] f : new String[][] {{"createdBefore", "t.create_time <"}, {"createdAfter", "t.create_time >"},
                {"startedBefore", "t.start_time <"}, {"startedAfter", "t.start_time >"},
                {"completeBefore", "t.completion_time <"}, {"completeAfter", "t.completion_time >"}}) {
            if (o.get(f[0]) != null) {
                where.append(" AND ").append(f[1]).append(" ?");
                params.add(Args.time(o.get(f[0]), f[0]));
            }
        }
        if (q.countOnly()) {
            return ((Number) db.scalar("SELECT count(*) FROM tasks t" + where, params.toArray()).orElse(0L)).intValue();
        }
        List<Map<String, Object>> rows = db.query("SELECT " + Tasks.COLUMNS + ", t.request, t.result, u.name AS owner_name,"
                + " u.usertype AS owner_type FROM tasks t JOIN users u ON u.id = t.owner" + where + q.tail(ORDER, "t.id"),
                params.toArray());
        if (Args.truthy(o.get("decode"))) {
            for (var r : rows) {
                r.put("request", TaskPayloads.decodeRequestShared((String) r.get("request")));
                if (r.get("result") != null) {
                    r.put("result", TaskPayloads.decodeResultForListing((String) r.get("result")));
                }
            }
        }
        return rows;
    }

    @KojiMethod("freeTask")
    public Object freeTask(CallContext ctx, @Param("task_id") int taskId) {
        access.assertPerm(ctx, "admin");
        tasks.free(taskId);
        return null;
    }

    /**
     * The owner, the host running it, an admin of the task's project or a hub admin may cancel a task; a
     * running build is then killed on its builder by the dispatcher.
     */
    @KojiMethod("cancelTask")
    public Object cancelTask(CallContext ctx, @Param("task_id") int taskId, @Param(value = "recurse", optional = true) Boolean recurse) {
        assertMayCancel(ctx, taskId);
        tasks.cancel(taskId, recurse == null || recurse);
        return null;
    }

    private void assertMayCancel(CallContext ctx, int taskId) {
        Caller c = access.assertLogin(ctx);
        var task = tasks.find(taskId).orElseThrow(() -> new GenericError("No such task: " + taskId));
        boolean owner = c.userId().equals(task.get("owner"));
        boolean host = task.get("host_id") != null && db.queryOne("SELECT 1 FROM hosts WHERE id = ? AND user_id = ?",
                task.get("host_id"), c.userId()).isPresent();
        Integer project = (Integer) db.scalar("SELECT project_id FROM tasks WHERE id = ?", taskId).orElse(null);
        if (!owner && !host && !access.hasPerm(ctx, "admin")
                && (project == null || !access.hasProjectRole(c.userId(), project, "admin"))) {
            throw new ActionNotAllowed("Cannot cancel task, not owner");
        }
    }

    /** Cancels the whole tree the task belongs to (from its top-level parent). */
    @KojiMethod("cancelTaskFull")
    public Object cancelTaskFull(CallContext ctx, @Param("task_id") int taskId, @Param(value = "strict", optional = true) Boolean strict) {
        int top = taskId;
        for (Integer p; (p = (Integer) db.scalar("SELECT parent FROM tasks WHERE id = ?", top).orElse(null)) != null; ) {
            top = p;
        }
        if (tasks.find(top).isEmpty()) {
            throw new GenericError("No such task: " + taskId);
        }
        if ((strict == null || strict) && top != taskId) {
            throw new GenericError("Task " + taskId + " is not top-level (parent=" + top + ")");
        }
        assertMayCancel(ctx, top);
        tasks.cancel(top, true);
        return null;
    }

    /** Cancels the build task that makes a build (an id, {@code OWNER/PROJECT:NVR}, or an NVR of one of the caller's projects). */
    @KojiMethod("cancelBuild")
    public boolean cancelBuild(CallContext ctx, @Param("buildID") Object buildID, @Param(value = "strict", optional = true) Boolean strict) {
        Caller caller = access.assertLogin(ctx);
        // a bare NVR resolves among the caller's projects only (BuildLookup): nobody cancels by shadowing
        Map<String, Object> b = new BuildApi(db, null).findBuild(buildID, false, caller);
        var row = java.util.Optional.ofNullable(b);
        if (row.isEmpty() || row.get().get("task_id") == null || (Integer) row.get().get("state") != 0) {
            if (Boolean.TRUE.equals(strict)) {
                throw new GenericError("Cannot cancel build " + Args.repr(buildID) + ": not building");
            }
            return false;
        }
        int task = (Integer) row.get().get("task_id");
        assertMayCancel(ctx, task);
        return tasks.cancel(task, true);
    }

    @KojiMethod("setTaskPriority")
    public Object setTaskPriority(CallContext ctx, @Param("task_id") int taskId, @Param("priority") int priority,
            @Param(value = "recurse", optional = true) Boolean recurse) {
        access.assertPerm(ctx, "admin");
        tasks.setPriority(taskId, priority, recurse == null || recurse);
        return null;
    }
}

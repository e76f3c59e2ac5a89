package org.fedorabuild.compat.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault;

/**
 * The hub calls that appear in the wire captures, declared with the Python parameter names of
 * {@code koji-api.md} §5.3 (and §2, §4, §7.5). Each records what it was bound to and answers the next canned
 * value ({@link #answer}); a canned {@link KojiFault} is thrown instead.
 */
public class RecordingHubService {
    /** One call as the hub function saw it: parameter name to bound value (null when left out). */
    public record Invocation(String method, Map<String, Object> args, CallContext context) {
    }

    private final List<Invocation> invocations = Collections.synchronizedList(new ArrayList<>());
    private final LinkedList<Object> answers = new LinkedList<>();

    /** Queues the answers of the next calls, in order (null is a fine answer). */
    public synchronized void answer(Object... values) {
        Collections.addAll(answers, values);
    }

    public synchronized int pendingAnswers() {
        return answers.size();
    }

    public List<Invocation> invocations() {
        synchronized (invocations) {
            return List.copyOf(invocations);
        }
    }

    public void reset() {
        invocations.clear();
        synchronized (this) {
            answers.clear();
        }
    }

    private Object record(String method, CallContext context, Object... namesAndValues) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            args.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        invocations.add(new Invocation(method, args, context));
        Object next;
        synchronized (this) {
            next = answers.isEmpty() ? null : answers.removeFirst();
        }
        if (next instanceof KojiFault fault) {
            throw fault;
        }
        return next;
    }

    private Object record(String method, Object... namesAndValues) {
        return record(method, null, namesAndValues);
    }

    // --- session (§2) ---

    @KojiMethod
    public Object login(@Param("user") String user, @Param("password") String password,
            @Param(value = "opts", optional = true) Map<String, Object> opts,
            @Param(value = "renew", optional = true) Boolean renew,
            @Param(value = "exclusive", optional = true) Boolean exclusive, CallContext context) {
        return record("login", context, "user", user, "password", password, "opts", opts, "renew", renew,
                "exclusive", exclusive);
    }

    @KojiMethod
    public Object sslLogin(@Param(value = "proxyuser", optional = true) String proxyuser,
            @Param(value = "proxyauthtype", optional = true) Long proxyauthtype,
            @Param(value = "renew", optional = true) Boolean renew,
            @Param(value = "exclusive", optional = true) Boolean exclusive, CallContext context) {
        return record("sslLogin", context, "proxyuser", proxyuser, "proxyauthtype", proxyauthtype, "renew", renew,
                "exclusive", exclusive);
    }

    @KojiMethod
    public Object logout(@Param(value = "session_id", optional = true) Long sessionId, CallContext context) {
        return record("logout", context, "session_id", sessionId);
    }

    @KojiMethod
    public Object exclusiveSession(@Param(value = "force", optional = true) Boolean force) {
        return record("exclusiveSession", "force", force);
    }

    @KojiMethod(readOnly = true)
    public Object getLoggedInUser() {
        return record("getLoggedInUser");
    }

    @KojiMethod(readOnly = true)
    public Object getAPIVersion() {
        return record("getAPIVersion");
    }

    @KojiMethod(readOnly = true)
    public Object echo(@VarArgs List<Object> args) {
        record("echo", "args", args);
        return args;
    }

    // --- targets, tags, builds (§5.3) ---

    @KojiMethod(readOnly = true)
    public Object getBuildTargets(@Param(value = "info", optional = true) Object info,
            @Param(value = "event", optional = true) Long event,
            @Param(value = "buildTagID", optional = true) Object buildTagID,
            @Param(value = "destTagID", optional = true) Object destTagID,
            @Param(value = "queryOpts", optional = true) Map<String, Object> queryOpts) {
        return record("getBuildTargets", "info", info, "event", event, "buildTagID", buildTagID, "destTagID", destTagID,
                "queryOpts", queryOpts);
    }

    @KojiMethod(readOnly = true)
    public Object getBuildTarget(@Param("info") Object info, @Param(value = "event", optional = true) Long event,
            @Param(value = "strict", optional = true) Boolean strict) {
        return record("getBuildTarget", "info", info, "event", event, "strict", strict);
    }

    @KojiMethod(readOnly = true)
    public Object getTag(@Param("tagInfo") Object tagInfo, @Param(value = "strict", optional = true) Boolean strict,
            @Param(value = "event", optional = true) Long event, @Param(value = "blocked", optional = true) Boolean blocked) {
        return record("getTag", "tagInfo", tagInfo, "strict", strict, "event", event, "blocked", blocked);
    }

    @KojiMethod(readOnly = true)
    public Object getBuild(@Param("buildInfo") Object buildInfo, @Param(value = "strict", optional = true) Boolean strict) {
        return record("getBuild", "buildInfo", buildInfo, "strict", strict);
    }

    @KojiMethod(readOnly = true)
    public Object getPackageID(@Param("name") String name, @Param(value = "strict", optional = true) Boolean strict) {
        return record("getPackageID", "name", name, "strict", strict);
    }

    @KojiMethod(readOnly = true)
    public Object listBuilds(@Param(value = "packageID", optional = true) Long packageID,
            @Param(value = "userID", optional = true) Object userID, @Param(value = "taskID", optional = true) Long taskID,
            @Param(value = "prefix", optional = true) String prefix, @Param(value = "state", optional = true) Object state,
            @Param(value = "volumeID", optional = true) Object volumeID, @Param(value = "source", optional = true) String source,
            @Param(value = "createdBefore", optional = true) Object createdBefore,
            @Param(value = "createdAfter", optional = true) Object createdAfter,
            @Param(value = "completeBefore", optional = true) Object completeBefore,
            @Param(value = "completeAfter", optional = true) Object completeAfter,
            @Param(value = "type", optional = true) String type, @Param(value = "typeInfo", optional = true) Object typeInfo,
            @Param(value = "queryOpts", optional = true) Map<String, Object> queryOpts,
            @Param(value = "pattern", optional = true) String pattern, @Param(value = "cgID", optional = true) Object cgID,
            @Param(value = "draft", optional = true) Boolean draft,
            @Param(value = "promotedBefore", optional = true) Object promotedBefore,
            @Param(value = "promotedAfter", optional = true) Object promotedAfter,
            @Param(value = "promoter", optional = true) Object promoter) {
        return record("listBuilds", "packageID", packageID, "userID", userID, "taskID", taskID, "prefix", prefix,
                "state", state, "pattern", pattern, "queryOpts", queryOpts, "draft", draft);
    }

    @KojiMethod
    public Object build(@Param("src") String src, @Param("target") Object target,
            @Param(value = "opts", optional = true) Map<String, Object> opts,
            @Param(value = "priority", optional = true) Long priority,
            @Param(value = "channel", optional = true) String channel) {
        return record("build", "src", src, "target", target, "opts", opts, "priority", priority, "channel", channel);
    }

    @KojiMethod
    public Object chainBuild(@Param("srcs") List<Object> srcs, @Param("target") Object target,
            @Param(value = "opts", optional = true) Map<String, Object> opts,
            @Param(value = "priority", optional = true) Long priority,
            @Param(value = "channel", optional = true) String channel) {
        return record("chainBuild", "srcs", srcs, "target", target, "opts", opts, "priority", priority, "channel", channel);
    }

    @KojiMethod(readOnly = true)
    public Object checkUpload(@Param("path") String path, @Param("name") String name,
            @Param(value = "verify", optional = true) String verify, @Param(value = "tail", optional = true) Long tail,
            @Param(value = "volume", optional = true) String volume) {
        return record("checkUpload", "path", path, "name", name, "verify", verify, "tail", tail, "volume", volume);
    }

    // --- tasks ---

    @KojiMethod(readOnly = true)
    public Object listTasks(@Param(value = "opts", optional = true) Map<String, Object> opts,
            @Param(value = "queryOpts", optional = true) Map<String, Object> queryOpts) {
        return record("listTasks", "opts", opts, "queryOpts", queryOpts);
    }

    @KojiMethod(readOnly = true)
    public Object getTaskInfo(@Param("task_id") Object taskId, @Param(value = "request", optional = true) Boolean request,
            @Param(value = "strict", optional = true) Boolean strict) {
        return record("getTaskInfo", "task_id", taskId, "request", request, "strict", strict);
    }

    @KojiMethod(readOnly = true)
    public Object listTaskOutput(@Param("taskID") long taskID, @Param(value = "stat", optional = true) Boolean stat,
            @Param(value = "all_volumes", optional = true) Boolean allVolumes,
            @Param(value = "strict", optional = true) Boolean strict) {
        return record("listTaskOutput", "taskID", taskID, "stat", stat, "all_volumes", allVolumes, "strict", strict);
    }

    @KojiMethod
    public Object freeTask(@Param("task_id") long taskId) {
        return record("freeTask", "task_id", taskId);
    }

    @KojiMethod
    public Object cancelTask(@Param("task_id") long taskId, @Param(value = "recurse", optional = true) Boolean recurse) {
        return record("cancelTask", "task_id", taskId, "recurse", recurse);
    }

    @KojiMethod(readOnly = true)
    public Object getUser(@Param(value = "userInfo", optional = true) Object userInfo,
            @Param(value = "strict", optional = true) Boolean strict,
            @Param(value = "krb_princs", optional = true) Boolean krbPrincs,
            @Param(value = "groups", optional = true) Boolean groups) {
        return record("getUser", "userInfo", userInfo, "strict", strict, "krb_princs", krbPrincs, "groups", groups);
    }

    // --- hosts ---

    @KojiMethod(readOnly = true)
    public Object getHost(@Param("hostInfo") Object hostInfo, @Param(value = "strict", optional = true) Boolean strict,
            @Param(value = "event", optional = true) Long event) {
        return record("getHost", "hostInfo", hostInfo, "strict", strict, "event", event);
    }

    @KojiMethod(readOnly = true)
    public Object listHosts(@Param(value = "arches", optional = true) List<Object> arches,
            @Param(value = "channelID", optional = true) Object channelID,
            @Param(value = "ready", optional = true) Boolean ready, @Param(value = "enabled", optional = true) Boolean enabled,
            @Param(value = "userID", optional = true) Object userID,
            @Param(value = "queryOpts", optional = true) Map<String, Object> queryOpts) {
        return record("listHosts", "arches", arches, "channelID", channelID, "ready", ready, "enabled", enabled,
                "userID", userID, "queryOpts", queryOpts);
    }

    @KojiMethod(readOnly = true)
    public Object listChannels(@Param(value = "hostID", optional = true) Long hostID,
            @Param(value = "event", optional = true) Long event, @Param(value = "enabled", optional = true) Boolean enabled) {
        return record("listChannels", "hostID", hostID, "event", event, "enabled", enabled);
    }

    @KojiMethod(readOnly = true)
    public Object listBuildroots(@Param(value = "hostID", optional = true) Long hostID,
            @Param(value = "tagID", optional = true) Object tagID, @Param(value = "state", optional = true) Object state,
            @Param(value = "rpmID", optional = true) Object rpmID, @Param(value = "archiveID", optional = true) Object archiveID,
            @Param(value = "taskID", optional = true) Long taskID,
            @Param(value = "buildrootID", optional = true) Object buildrootID,
            @Param(value = "repoID", optional = true) Object repoID,
            @Param(value = "queryOpts", optional = true) Map<String, Object> queryOpts) {
        return record("listBuildroots", "hostID", hostID, "tagID", tagID, "state", state, "taskID", taskID);
    }

    @KojiMethod
    public Object disableHost(@Param("hostname") String hostname) {
        return record("disableHost", "hostname", hostname);
    }

    @KojiMethod
    public Object enableHost(@Param("hostname") String hostname) {
        return record("enableHost", "hostname", hostname);
    }

    @KojiMethod
    public Object editHost(@Param("hostInfo") Object hostInfo, @KwArgs Map<String, Object> kw) {
        return record("editHost", "hostInfo", hostInfo, "**kw", kw);
    }

    // --- the builder's host.* calls (§7.5) ---

    @KojiMethod("host.getID")
    public Object hostGetID() {
        return record("host.getID");
    }

    @KojiMethod("host.getHostTasks")
    public Object hostGetHostTasks() {
        return record("host.getHostTasks");
    }

    @KojiMethod("host.updateHost")
    public Object hostUpdateHost(@Param("task_load") double taskLoad, @Param("ready") boolean ready,
            @Param(value = "data", optional = true) Map<String, Object> data) {
        return record("host.updateHost", "task_load", taskLoad, "ready", ready, "data", data);
    }

    @KojiMethod("host.getTasks")
    public Object hostGetTasks() {
        return record("host.getTasks");
    }

    @KojiMethod("host.openTask")
    public Object hostOpenTask(@Param("task_id") long taskId) {
        return record("host.openTask", "task_id", taskId);
    }

    @KojiMethod("host.freeTasks")
    public Object hostFreeTasks(@Param("tasks") List<Object> tasks) {
        return record("host.freeTasks", "tasks", tasks);
    }
}

package org.fedorabuild.hub.web.koji;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** kojiweb's URLs, as the koji CLI and fedpkg print them (weburl = PUBLIC/koji). */
public final class KojiLinks {
    private KojiLinks() {
    }

    public static String task(int id) {
        return "/koji/taskinfo?taskID=" + id;
    }

    public static String build(int id) {
        return "/koji/buildinfo?buildID=" + id;
    }

    public static String user(int id) {
        return "/koji/userinfo?userID=" + id;
    }

    public static String host(int id) {
        return "/koji/hostinfo?hostID=" + id;
    }

    public static String pkg(int id) {
        return "/koji/packageinfo?packageID=" + id;
    }

    public static String tag(int id) {
        return "/koji/taginfo?tagID=" + id;
    }

    /** A task's output file, whole and plain. */
    public static String file(int taskId, String name) {
        return "/koji/getfile?taskID=" + taskId + "&name=" + q(name);
    }

    /** The live tail fragment of a task's log from byte {@code offset}. */
    public static String tail(int taskId, String name, long offset) {
        return "/koji/tail?taskID=" + taskId + "&name=" + q(name) + "&offset=" + offset;
    }

    /** A results file under /results/ (path relative to the storage root, each segment encoded). */
    public static String result(String relative) {
        StringBuilder sb = new StringBuilder("/results");
        for (String seg : relative.split("/")) {
            sb.append('/').append(URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

package org.fedorabuild.hub.web.copr;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Copr's URLs for a project: {@code /coprs/OWNER/PROJECT/…} for a user's project and
 * {@code /coprs/g/GROUP/PROJECT/…} for a group's ({@code @GROUP}). Templates build every Copr link here.
 */
public final class CoprLinks {
    private CoprLinks() {
    }

    /** The project's base URL, ending in '/'. */
    public static String project(String owner, String project) {
        String base = owner.startsWith("@") ? "/coprs/g/" + seg(owner.substring(1)) : "/coprs/" + seg(owner);
        return base + "/" + seg(project) + "/";
    }

    public static String owner(String owner) {
        return owner.startsWith("@") ? "/coprs/g/" + seg(owner.substring(1)) + "/" : "/coprs/" + seg(owner) + "/";
    }

    public static String build(String owner, String project, int buildId) {
        return project(owner, project) + "build/" + buildId + "/";
    }

    public static String pkg(String owner, String project, String pkg) {
        return project(owner, project) + "package/" + seg(pkg) + "/";
    }

    static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package org.fedorabuild.hub.build;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault.ParameterError;
import org.fedorabuild.hub.db.Db;

/**
 * The rules every way into a build shares: the one repository-URL check (build opts, chains, project and
 * chroot extra repos), the {@code copr_*} option keys only the hub itself may set, and Koji's package
 * blocking (a package blocked in a project's tag is neither built nor published there).
 */
public final class BuildPolicy {
    /** Build option keys the hub sets for its own tasks (chain repos...); callers may not. */
    public static final String INTERNAL_PREFIX = "copr_";

    private BuildPolicy() {
    }

    /**
     * An extra repository a buildroot may use: http(s) only (a {@code file://} URL would read the builder's own
     * disk), with a host, without credentials or whitespace, at most 2048 characters.
     *
     * @return the URL as given
     * @throws IllegalArgumentException naming the URL and what is expected
     */
    public static String repoUrl(Object value) {
        String url = String.valueOf(value);
        String expected = "expected an http:// or https:// URL with a host name and no credentials (no user:password@)";
        // quotes, angle brackets and backslashes end up in .repo files and pages: never part of a repository URL
        if (url.length() > 2048 || url.chars().anyMatch(c -> c <= ' ' || c == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\')) {
            throw new IllegalArgumentException("invalid repository URL '" + abbreviate(url) + "': " + expected);
        }
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null
                    || u.getRawUserInfo() != null) {
                throw new IllegalArgumentException("invalid repository URL '" + url + "': " + expected);
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid repository URL '" + url + "': " + expected);
        }
        return url;
    }

    /** build()'s opts may not carry the hub's internal keys. */
    public static void refuseInternalOpts(Map<String, Object> opts) {
        for (String key : opts.keySet()) {
            if (key != null && key.startsWith(INTERNAL_PREFIX)) {
                throw new ParameterError("build option '" + key + "' is set by copr-hub itself, not by callers (extra"
                        + " repositories: the project's settings, or a chain's extra_repos)");
            }
        }
    }

    /** Null when the package may be built in the project, else why not (Koji's wording). */
    public static String blocked(Db db, int projectId, String packageName) {
        boolean blocked = db.queryOne("SELECT 1 FROM tag_packages tp JOIN tags t ON t.id = tp.tag_id JOIN packages pk"
                + " ON pk.id = tp.package_id WHERE t.project_id = ? AND t.chroot_id IS NULL AND pk.name = ? AND tp.blocked",
                projectId, packageName).isPresent();
        if (!blocked) {
            return null;
        }
        String tag = (String) db.scalar("SELECT name FROM tags WHERE project_id = ? AND chroot_id IS NULL", projectId).orElse("?");
        return "package " + packageName + " is blocked in tag " + tag;
    }

    /**
     * UserActiveBuilds: the caller's top-level tasks (builds, chains) waiting or running must stay under
     * {@code max}; hub admins are not limited.
     */
    public static void assertRoom(Db db, org.fedorabuild.hub.auth.Caller caller, int max, boolean admin) {
        if (admin) {
            return;
        }
        long active = ((Number) db.scalar("SELECT count(*) FROM tasks WHERE owner = ? AND parent IS NULL AND state IN (0, 1, 4)",
                caller.userId()).orElse(0L)).longValue();
        if (active >= max) {
            throw new org.fedorabuild.compat.fault.KojiFault.ActionNotAllowed(caller.name() + " has " + active
                    + " builds waiting or running, the limit is " + max + " (UserActiveBuilds); wait for some to finish");
        }
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 80 ? clean.substring(0, 80) + "..." : clean;
    }
}

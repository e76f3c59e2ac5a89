package org.fedorabuild.hub.scm;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A source URL as Koji clients send them: {@code git+https://host/rpms/pkg.git?subdir#commit}, the query
 * naming a module subdirectory (usually empty) and the fragment the revision. Only schemes the hub allows
 * are accepted ({@code git+file} is for tests and single-machine setups).
 */
public record ScmUrl(String scheme, String cloneUrl, String subdir, String revision) {
    public static final Set<String> DEFAULT_SCHEMES = Set.of("git", "git+https", "git+http");
    private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");
    private static final Pattern SUBDIR = Pattern.compile("([A-Za-z0-9_][A-Za-z0-9._-]*)(/[A-Za-z0-9_][A-Za-z0-9._-]*)*");

    /** True when {@code src} is an SCM URL rather than an uploaded file path (Koji's test: it has {@code ://}). */
    public static boolean looksLikeScm(String src) {
        return src.contains("://");
    }

    public static ScmUrl parse(String src, Set<String> allowedSchemes) {
        int sep = src.indexOf("://");
        if (sep <= 0) {
            throw new IllegalArgumentException("not an SCM URL: '" + src + "'");
        }
        String scheme = src.substring(0, sep);
        if (!allowedSchemes.contains(scheme)) {
            throw new IllegalArgumentException("SCM scheme '" + scheme + "' is not allowed here (allowed: "
                    + String.join(", ", new java.util.TreeSet<>(allowedSchemes)) + ")");
        }
        int hash = src.indexOf('#');
        if (hash < 0 || hash == src.length() - 1) {
            throw new IllegalArgumentException("SCM URL '" + src + "' must name a commit after '#'");
        }
        String revision = src.substring(hash + 1);
        if (!REVISION.matcher(revision).matches() || revision.contains("..")) {
            throw new IllegalArgumentException("invalid revision '" + revision + "' in SCM URL");
        }
        String rest = src.substring(0, hash);
        String subdir = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            subdir = rest.substring(q + 1);
            rest = rest.substring(0, q);
            if (!subdir.isEmpty() && (!SUBDIR.matcher(subdir).matches() || subdir.contains(".."))) {
                throw new IllegalArgumentException("invalid module path '" + subdir + "' in SCM URL");
            }
        }
        String clone = scheme.startsWith("git+") ? rest.substring(4) : rest;
        try {
            URI u = new URI(clone);
            if (u.getScheme() == null || (u.getHost() == null && !"file".equals(u.getScheme())) || u.getPath() == null
                    || u.getPath().isEmpty() || clone.startsWith("-")) {
                throw new IllegalArgumentException("SCM URL '" + src + "' lacks a host or repository path");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed SCM URL '" + src + "': " + e.getReason());
        }
        return new ScmUrl(scheme, clone, subdir, revision);
    }

    /** The repository's base name, which dist-git uses as the package name in lookaside paths. */
    public String repoName() {
        String path = cloneUrl.replaceAll("/+$", "");
        String base = path.substring(path.lastIndexOf('/') + 1);
        return base.endsWith(".git") ? base.substring(0, base.length() - 4) : base;
    }
}

package org.fedorabuild.hub.namespace;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The checks every self-service field passes before it reaches the database, shared by the web pages, Copr's
 * API v3 and the admin CLI. Each refusal is a {@link ProjectError#invalid} naming the field, the bad value
 * (shortened when long) and what is expected.
 */
public final class ProjectRules {
    public static final int MAX_DESCRIPTION = 4000;
    public static final int MAX_INSTRUCTIONS = 8000;
    public static final int MAX_REPOS = 30;
    public static final int MAX_PACKAGES = 100;
    public static final int MAX_PACKAGE = 200;
    public static final int MAX_CHROOTS = 100;

    private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9_.+-]{1,100}");
    /** An rpm package name or capability a buildroot installs ("gcc", "pkgconfig(glib-2.0)", "/usr/bin/make"). */
    private static final Pattern PACKAGE = Pattern.compile("[A-Za-z0-9_/][A-Za-z0-9_.+:()/-]*");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]");

    private ProjectRules() {
    }

    /** A project name (the part after OWNER/): Koji-safe characters, not all digits (CLIs read those as ids). */
    public static String projectName(String name) {
        if (name == null || name.isEmpty()) {
            throw ProjectError.invalid("name: a project name is required");
        }
        if (!PROJECT.matcher(name).matches() || name.matches("\\.+") || name.matches("[0-9]+")) {
            throw ProjectError.invalid("name: invalid project name '" + shorten(name) + "': expected 1-100 letters, digits, '.', '_',"
                    + " '+' or '-', not only digits or dots");
        }
        return name;
    }

    /** Free text (description, instructions): bounded, no control characters other than tab and newlines. */
    public static String text(String field, String value, int max) {
        if (value == null) {
            return "";
        }
        String v = value.replace("\r\n", "\n").strip();
        if (v.length() > max) {
            throw ProjectError.invalid(field + ": too long (" + v.length() + " characters, at most " + max + ")");
        }
        if (CONTROL.matcher(v).find()) {
            throw ProjectError.invalid(field + ": contains a control character (only text, tabs and newlines are accepted)");
        }
        return v;
    }

    /** Repository URLs: http or https with a host, no spaces; duplicates dropped, order kept. */
    public static List<String> repoUrls(String field, List<String> urls) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        if (urls == null) {
            return List.of();
        }
        for (String raw : urls) {
            String u = raw == null ? "" : raw.strip();
            if (u.isEmpty()) {
                continue;
            }
            out.add(url(field, u));
        }
        if (out.size() > MAX_REPOS) {
            throw ProjectError.invalid(field + ": " + out.size() + " repositories, at most " + MAX_REPOS);
        }
        return List.copyOf(out);
    }

    /** One http(s) URL, by the hub's one repository-URL rule ({@link org.fedorabuild.hub.build.BuildPolicy#repoUrl}). */
    public static String url(String field, String u) {
        try {
            return org.fedorabuild.hub.build.BuildPolicy.repoUrl(u);
        } catch (IllegalArgumentException e) {
            throw ProjectError.invalid(field + ": " + e.getMessage());
        }
    }

    /** A chroot name such as fedora-40-x86_64 (OS-VERSION-ARCH). */
    public static String chrootName(String field, String chroot) {
        if (chroot == null || chroot.length() > 100 || !chroot.matches("[a-z0-9][a-z0-9._+]*(-[a-z0-9._+]+)+-[a-z0-9_]+")) {
            throw ProjectError.invalid(field + ": invalid chroot name '" + shorten(String.valueOf(chroot))
                    + "': expected OS-VERSION-ARCH such as fedora-40-x86_64 or centos-stream-10-x86_64");
        }
        return chroot;
    }

    /** Packages installed into a chroot's buildroots: rpm names or capabilities. */
    public static List<String> packages(String field, List<String> names) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String raw : names == null ? List.<String>of() : names) {
            String n = raw == null ? "" : raw.strip();
            if (n.isEmpty()) {
                continue;
            }
            if (n.length() > MAX_PACKAGE || !PACKAGE.matcher(n).matches()) {
                throw ProjectError.invalid(field + ": invalid package name '" + shorten(n) + "': expected an rpm name or capability"
                        + " such as gcc, pkgconfig(glib-2.0) or /usr/bin/make");
            }
            out.add(n);
        }
        if (out.size() > MAX_PACKAGES) {
            throw ProjectError.invalid(field + ": " + out.size() + " packages, at most " + MAX_PACKAGES);
        }
        return List.copyOf(out);
    }

    /** Splits a textarea or space/comma separated field into items. */
    public static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        if (text != null) {
            for (String s : text.split("[\\s,]+")) {
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    static String shorten(String s) {
        String v = s.replaceAll("\\p{Cntrl}", "?");
        return v.length() > 80 ? v.substring(0, 77) + "..." : v;
    }
}

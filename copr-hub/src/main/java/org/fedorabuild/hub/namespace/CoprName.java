package org.fedorabuild.hub.namespace;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedorabuild.compat.fault.KojiFault.GenericError;

/**
 * A Copr project name, {@code owner/project} or {@code @group/project}, and how it and its chroots
 * appear to Koji clients. The mapping (also in README.md):
 * <ul>
 *   <li>project tag and target {@code owner/project}: the destination of every build of the project and
 *       a target that builds every chroot (its build tag is the project tag; arches = all chroots');</li>
 *   <li>chroot tag and target {@code owner/project/CHROOT} (e.g. {@code alice/hello/fedora-40-x86_64}):
 *       the buildroot of one chroot, inheriting the project tag; the target builds that chroot only
 *       and lands in the project tag.</li>
 * </ul>
 * Project names cannot contain '/', so these names never collide, and none is all digits (the CLI
 * turns digit strings into ids). Koji's own name rule ({@code [A-Za-z0-9/_.+-]}) holds except for
 * a group's leading '@', which the CLI passes through untouched.
 */
public record CoprName(String owner, String project) {
    private static final Pattern FULL = Pattern.compile("(@?[A-Za-z0-9][A-Za-z0-9._-]{0,63})/([A-Za-z0-9_.+-]{1,100})");
    private static final Pattern CHROOT = Pattern.compile("[a-z][a-z0-9.+_]*(?:-[a-z0-9.+_]+)*-([a-z0-9_]+)");

    public static CoprName parse(String text) {
        Matcher m = text == null ? null : FULL.matcher(text);
        if (m == null || !m.matches() || m.group(2).matches("\\.+")) {
            throw new GenericError("invalid project name '" + text + "': expected OWNER/PROJECT or @GROUP/PROJECT"
                    + " (letters, digits, '.', '_', '+', '-')");
        }
        return new CoprName(m.group(1), m.group(2));
    }

    public boolean groupOwned() {
        return owner.startsWith("@");
    }

    /** The project tag's and project target's name. */
    public String tagName() {
        return owner + "/" + project;
    }

    public String chrootTagName(String chroot) {
        return tagName() + "/" + chroot;
    }

    @Override
    public String toString() {
        return tagName();
    }

    /** The architecture of a chroot name such as {@code fedora-40-x86_64} (its last dash-separated part). */
    public static String chrootArch(String chroot) {
        Matcher m = chroot == null ? null : CHROOT.matcher(chroot);
        if (m == null || !m.matches() || !chroot.contains("-")) {
            throw new GenericError("invalid chroot name '" + chroot + "': expected OS-VERSION-ARCH such as fedora-40-x86_64");
        }
        return m.group(1);
    }
}

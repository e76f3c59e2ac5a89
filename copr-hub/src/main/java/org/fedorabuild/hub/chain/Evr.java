package org.fedorabuild.hub.chain;

/**
 * An RPM epoch:version-release, ordered exactly as rpm orders them ({@code rpmvercmp}): segments of digits
 * compare numerically, letters alphabetically, a digit segment beats a letter one, {@code ~} sorts before
 * everything (even the end of the string) and {@code ^} after the end but before anything else.
 *
 * @param release null when a dependency names no release: it then compares equal to every release (rpm's
 *     dependency semantics, {@code rpmdsCompare}; its package sort, {@code labelCompare}, would differ)
 */
public record Evr(long epoch, String version, String release) implements Comparable<Evr> {
    /** Parses {@code [E:]V[-R]}; an empty text is the empty version. */
    public static Evr parse(String text) {
        String t = text == null ? "" : text.strip();
        long epoch = 0;
        int colon = t.indexOf(':');
        if (colon > 0 && t.substring(0, colon).chars().allMatch(Character::isDigit)) {
            epoch = Long.parseLong(t.substring(0, colon));
            t = t.substring(colon + 1);
        }
        int dash = t.lastIndexOf('-');
        return dash < 0 ? new Evr(epoch, t, null) : new Evr(epoch, t.substring(0, dash), t.substring(dash + 1));
    }

    @Override
    public int compareTo(Evr o) {
        int c = Long.compare(epoch, o.epoch);
        if (c != 0) {
            return c;
        }
        c = rpmvercmp(version, o.version);
        if (c != 0 || release == null || o.release == null) {
            return c;
        }
        return rpmvercmp(release, o.release);
    }

    /** rpm's segment-wise comparison of two version (or release) strings. */
    public static int rpmvercmp(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            while (i < a.length() && !Character.isLetterOrDigit(a.charAt(i)) && a.charAt(i) != '~' && a.charAt(i) != '^') {
                i++;
            }
            while (j < b.length() && !Character.isLetterOrDigit(b.charAt(j)) && b.charAt(j) != '~' && b.charAt(j) != '^') {
                j++;
            }
            boolean ta = i < a.length() && a.charAt(i) == '~';
            boolean tb = j < b.length() && b.charAt(j) == '~';
            if (ta || tb) {
                if (!ta) {
                    return 1;
                }
                if (!tb) {
                    return -1;
                }
                i++;
                j++;
                continue;
            }
            boolean ca = i < a.length() && a.charAt(i) == '^';
            boolean cb = j < b.length() && b.charAt(j) == '^';
            if (ca || cb) {
                if (i >= a.length()) {
                    return -1;
                }
                if (j >= b.length()) {
                    return 1;
                }
                if (!ca) {
                    return 1;
                }
                if (!cb) {
                    return -1;
                }
                i++;
                j++;
                continue;
            }
            if (i >= a.length() || j >= b.length()) {
                break;
            }
            boolean numeric = Character.isDigit(a.charAt(i));
            int si = i;
            int sj = j;
            while (i < a.length() && (numeric ? Character.isDigit(a.charAt(i)) : Character.isLetter(a.charAt(i)))) {
                i++;
            }
            while (j < b.length() && (numeric ? Character.isDigit(b.charAt(j)) : Character.isLetter(b.charAt(j)))) {
                j++;
            }
            if (sj == j) {
                // segments of different kinds: numbers are newer than letters
                return numeric ? 1 : -1;
            }
            String x = a.substring(si, i);
            String y = b.substring(sj, j);
            int c;
            if (numeric) {
                x = x.replaceFirst("^0+(?=.)", "");
                y = y.replaceFirst("^0+(?=.)", "");
                c = x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
            } else {
                c = x.compareTo(y);
            }
            if (c != 0) {
                return c < 0 ? -1 : 1;
            }
        }
        if (i >= a.length() && j >= b.length()) {
            return 0;
        }
        return i >= a.length() ? -1 : 1;
    }

    @Override
    public String toString() {
        return (epoch != 0 ? epoch + ":" : "") + version + (release == null ? "" : "-" + release);
    }
}

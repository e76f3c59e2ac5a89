package org.fedorabuild.hub.chain;

/**
 * A dependency or a provide as rpm records it: a name, optionally with a comparison against an EVR
 * ({@code libfoo-devel >= 2.0}, {@code virtual(thing) = 5}). The flag bits are rpm's (LESS 2, GREATER 4,
 * EQUAL 8).
 */
public record Capability(String name, int flags, Evr evr) {
    public static final int LESS = 2;
    public static final int GREATER = 4;
    public static final int EQUAL = 8;
    private static final int SENSE = LESS | GREATER | EQUAL;

    public static Capability unversioned(String name) {
        return new Capability(name, 0, null);
    }

    /** From {@code rpm --qf '%{REQUIRENAME} %{REQUIREFLAGS} %{REQUIREVERSION}'} style triples. */
    public static Capability of(String name, int flags, String version) {
        boolean versioned = (flags & SENSE) != 0 && version != null && !version.isBlank();
        return new Capability(name, versioned ? flags & SENSE : 0, versioned ? Evr.parse(version) : null);
    }

    /** Parses {@code name}, {@code name >= 1.0}, {@code name = 1:2-3} (as rpmspec and Koji print them). */
    public static Capability parse(String text) {
        String[] p = text.strip().split("\\s+");
        if (p.length == 1) {
            return unversioned(p[0]);
        }
        if (p.length != 3) {
            throw new IllegalArgumentException("cannot read capability '" + text + "', expected NAME [OP EVR]");
        }
        int flags = switch (p[1]) {
            case "<" -> LESS;
            case "<=" -> LESS | EQUAL;
            case "=", "==" -> EQUAL;
            case ">=" -> GREATER | EQUAL;
            case ">" -> GREATER;
            default -> throw new IllegalArgumentException("unknown comparison '" + p[1] + "' in '" + text + "'");
        };
        return new Capability(p[0], flags, Evr.parse(p[2]));
    }

    public boolean versioned() {
        return flags != 0;
    }

    /**
     * True when this provide satisfies {@code require}: same name, and their version ranges overlap, as rpm
     * decides it ({@code rpmdsCompare}). An unversioned provide or require matches any version.
     */
    public boolean satisfies(Capability require) {
        if (!name.equals(require.name)) {
            return false;
        }
        if (!versioned() || !require.versioned()) {
            return true;
        }
        Evr a = evr;
        Evr b = require.evr;
        // A release only counts when both sides name one.
        int c = (a.release() == null || b.release() == null)
                ? new Evr(a.epoch(), a.version(), null).compareTo(new Evr(b.epoch(), b.version(), null))
                : a.compareTo(b);
        if (c < 0) {
            return (flags & GREATER) != 0 || (require.flags & LESS) != 0;
        }
        if (c > 0) {
            return (flags & LESS) != 0 || (require.flags & GREATER) != 0;
        }
        return ((flags & EQUAL) != 0 && (require.flags & EQUAL) != 0)
                || ((flags & LESS) != 0 && (require.flags & LESS) != 0)
                || ((flags & GREATER) != 0 && (require.flags & GREATER) != 0);
    }

    @Override
    public String toString() {
        if (!versioned()) {
            return name;
        }
        String op = switch (flags) {
            case LESS -> "<";
            case LESS | EQUAL -> "<=";
            case EQUAL -> "=";
            case GREATER | EQUAL -> ">=";
            case GREATER -> ">";
            default -> "?";
        };
        return name + " " + op + " " + evr;
    }
}

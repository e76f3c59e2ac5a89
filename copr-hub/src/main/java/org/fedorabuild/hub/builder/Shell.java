package org.fedorabuild.hub.builder;

/**
 * Quoting for the shell scripts the hub sends to builders. Every value that came from a user (URLs, file
 * names, chroot names) goes through {@link #quote} so it is one word and never code.
 */
public final class Shell {
    private Shell() {
    }

    public static String quote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("NUL character in shell argument");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}

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

    /**
     * Wraps a command so it runs in its own session (process group) whose id lands in {@code pidFile}: a
     * cancel can then kill the whole tree ({@code mock}, {@code rpmbuild} and their children) with one
     * signal, over any transport.
     */
    public static String inOwnSession(String command, String pidFile) {
        return "exec setsid -w bash -c " + quote("echo $$ > " + quote(pidFile) + "; exec bash -c " + quote(command));
    }

    /** Kills the process group recorded by {@link #inOwnSession}, if it is still there. */
    public static String killSession(String pidFile) {
        return "if [ -s " + quote(pidFile) + " ]; then kill -KILL -- -$(cat " + quote(pidFile) + ") 2>/dev/null; fi; true";
    }
}

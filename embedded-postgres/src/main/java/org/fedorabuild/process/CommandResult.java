package org.fedorabuild.process;

import java.util.Arrays;
import java.util.List;

/**
 * How a command ended and what it printed. {@code stdout} and {@code stderr} keep at most the command's output
 * limit each (the end of it, when it printed more; {@link #truncated()} says so); {@code output} is both
 * interleaved as they arrived, for messages.
 */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr, String output,
        boolean truncated) {
    public static final int TAIL_LINES = 20;

    public boolean ok() {
        return exitCode == 0;
    }

    /** The command line as one string, for messages. */
    public String commandLine() {
        return String.join(" ", command);
    }

    /** "`cmd` exited with code N; last output: ..." for error messages and logs. */
    public String describe() {
        return "`" + commandLine() + "` exited with code " + exitCode + lastOutput();
    }

    /** "; last output:\n    ..." or "" when it printed nothing. */
    String lastOutput() {
        return output.isBlank() ? " (no output)" : "; last output:\n" + tail(output, TAIL_LINES);
    }

    /** The last {@code lines} lines of {@code text}, indented for embedding in a message. */
    public static String tail(String text, int lines) {
        String[] all = text.strip().split("\n");
        return "    " + String.join("\n    ", Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length));
    }
}

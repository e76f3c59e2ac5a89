package org.fedorabuild.watchdog.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One command line run in this JVM as {@code bin/kojira-watchdog} would run it: its exit code and what it
 * printed on stdout (the test logback config logs there too, so match whole lines by their start).
 */
public record CliRun(int code, String out) {
    /** Synchronized: it swaps {@code System.out}, so two runs at once would mix their output. */
    public static synchronized CliRun run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = WatchdogMain.execute(args);
            return new CliRun(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }
}

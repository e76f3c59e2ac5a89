package org.fedorabuild.hub.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.hub.account.Passwords;
import org.fedorabuild.hub.auth.Users;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code copr-hub user passwd NAME}: sets the user's web password. On a terminal it is asked twice without
 * echo; otherwise it is the first line of stdin (for scripts: {@code printf '%s\n' "$PW" | copr-hub user
 * passwd alice}). Never an argument, which other users could read in the process list.
 */
@Command(name = "passwd", description = "Set NAME's web password (asked on the terminal without echo, or read as one line from stdin).")
final class UserPasswdCommand implements Callable<Integer> {
    @Mixin
    HubOptions options;

    @Parameters(paramLabel = "NAME")
    String name;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        String password = read();
        var weak = Passwords.weakness(password, name);
        if (weak.isPresent()) {
            throw new GenericError("password refused: " + weak.get());
        }
        try (AdminSession s = new AdminSession(options)) {
            s.tx(() -> {
                var u = s.services.users.byName(name).orElseThrow(() -> new GenericError("no such user: " + name));
                if ((Integer) u.get("usertype") != Users.NORMAL) {
                    throw new GenericError(name + " is not a normal user (a group or a builder host); only users sign in");
                }
                s.services.accounts.passwords.set((Integer) u.get("id"), password);
                return null;
            });
        }
        spec.commandLine().getOut().println("Web password of " + name + " set; their web sessions were signed out.");
        return 0;
    }

    private String read() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("New web password for %s: ", name);
            char[] again = console.readPassword("Repeat it: ");
            if (first == null || again == null || !new String(first).equals(new String(again))) {
                throw new GenericError("the two passwords differ (nothing changed)");
            }
            return new String(first);
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null) {
            throw new GenericError("no password on stdin (expected one line)");
        }
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}

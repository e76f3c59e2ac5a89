package org.fedorabuild.pg;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SQL migration file, {@code NNN-description.sql}, ordered by the number {@code NNN}.
 *
 * @param version   the numeric prefix; unique within a directory
 * @param fileName  e.g. {@code 001-initial.sql}; recorded as {@code schema_migrations.name}
 * @param sql       the statements to run, without the file's own BEGIN/COMMIT (see {@link #parse})
 * @param checksum  SHA-256 (hex) of the file's bytes as shipped; a changed applied file is an error
 */
public record Migration(int version, String fileName, String sql, String checksum) {
    /** The file name contract; referenced in error messages. */
    public static final Pattern FILE_NAME = Pattern.compile("(\\d{1,9})[-_]([^/]+)\\.sql");
    private static final Pattern BEGIN = Pattern.compile("(?i)(BEGIN|START\\s+TRANSACTION)(\\s+TRANSACTION|\\s+WORK)?\\s*;");
    private static final Pattern COMMIT = Pattern.compile("(?i)(COMMIT|END)(\\s+TRANSACTION|\\s+WORK)?\\s*;");

    /**
     * Parses a migration file. Our migrations follow the house style of a from/to header inside
     * {@code BEGIN; ... COMMIT;} so they can also be run by hand with psql. {@link Migrations} runs
     * each in its own transaction together with its schema_migrations row, so a leading BEGIN and
     * trailing COMMIT line are dropped: the file's COMMIT would otherwise commit early and leave the
     * row to a second transaction. BEGIN/COMMIT elsewhere (e.g. in a function body) stay.
     */
    public static Migration parse(String fileName, byte[] content) {
        Matcher m = FILE_NAME.matcher(fileName);
        if (!m.matches()) {
            throw new MigrationException("migration file name '" + fileName + "' does not match NNN-description.sql"
                    + " (e.g. 001-initial.sql)");
        }
        String text = new String(content, StandardCharsets.UTF_8);
        return new Migration(Integer.parseInt(m.group(1)), fileName, stripTransaction(fileName, text), sha256(content));
    }

    private static String stripTransaction(String fileName, String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int first = firstStatementLine(lines, 0, 1);
        int last = firstStatementLine(lines, lines.size() - 1, -1);
        boolean begins = first >= 0 && BEGIN.matcher(lines.get(first).strip()).matches();
        boolean commits = last >= 0 && last != first && COMMIT.matcher(lines.get(last).strip()).matches();
        if (begins != commits) {
            throw new MigrationException("migration " + fileName + (begins
                    ? " starts with BEGIN on line " + (first + 1) + " but does not end with a COMMIT line"
                    : " ends with COMMIT on line " + (last + 1) + " but does not start with a BEGIN line")
                    + "; expected both or neither");
        }
        if (begins) {
            lines.set(last, "-- (COMMIT issued by Migrations)");
            lines.set(first, "-- (BEGIN issued by Migrations)");
        }
        return String.join("\n", lines);
    }

    /** Index of the first line that is neither blank nor a -- comment, walking in {@code step}. */
    private static int firstStatementLine(List<String> lines, int from, int step) {
        for (int i = from; i >= 0 && i < lines.size(); i += step) {
            String s = lines.get(i).strip();
            if (!s.isEmpty() && !s.startsWith("--")) {
                return i;
            }
        }
        return -1;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }
}

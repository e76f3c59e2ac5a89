package org.fedorabuild.compat.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The wire captures of the real Koji 1.35.3 hub and clients, copied from {@code shared/koji-wire} into the
 * test resources ({@code koji-wire/<capture>/NNN-request.xml}, {@code NNN-response.xml}, for the fedpkg
 * captures {@code NNN-meta.json}), and what {@code index.md} says about each exchange.
 */
public final class Captures {
    /** One recorded HTTP exchange, named {@code capture/NNN}. */
    public record Exchange(String capture, String nnn) {
        public String id() {
            return capture + "/" + nnn;
        }

        public Path request() {
            return root().resolve(capture).resolve(nnn + "-request.xml");
        }

        public Path response() {
            return root().resolve(capture).resolve(nnn + "-response.xml");
        }

        public Path meta() {
            return root().resolve(capture).resolve(nnn + "-meta.json");
        }

        public boolean hasRequestXml() {
            return Files.exists(request());
        }

        public InputStream openRequest() {
            return open(request());
        }

        public InputStream openResponse() {
            return open(response());
        }

        /** The HTTP path the client POSTed to, from index.md or meta.json. */
        public String path() {
            IndexRow row = index().get(id());
            if (row != null) {
                return row.path();
            }
            return metaString(this, "path").orElseThrow(() -> new AssertionError("no path recorded for " + id()));
        }

        @Override
        public String toString() {
            return id();
        }
    }

    /**
     * A row of an index.md table: {@code | NNN | path | method [entries] | session | status | fault |}, or a
     * line {@code NNN /path method(...)} of a fedpkg section.
     */
    public record IndexRow(String path, String method, List<String> multicallEntries, String fault) {
        public boolean isFault() {
            return fault.startsWith("yes");
        }
    }

    private static final Pattern TABLE_ROW = Pattern.compile(
            "^\\| (\\d{3}) \\| (\\S+)[^|]*\\| ([^|\\[]+?)(?: \\[([^\\]]*)\\])? \\| [^|]* \\| [^|]* \\| ([^|]*) \\|$");
    private static final Pattern FEDPKG_LINE = Pattern.compile("^(\\d{3}) (/\\S+) (\\S+?)\\(");
    private static Map<String, IndexRow> index;

    private Captures() {
    }

    public static Path root() {
        try {
            return Path.of(Captures.class.getResource("/koji-wire/index.md").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every exchange, sorted by capture and number. */
    public static List<Exchange> exchanges() {
        try (Stream<Path> files = Files.walk(root(), 2)) {
            return files.map(p -> root().relativize(p))
                    .filter(p -> p.getNameCount() == 2 && p.getFileName().toString().endsWith("-response.xml"))
                    .map(p -> new Exchange(p.getName(0).toString(), p.getFileName().toString().substring(0, 3)))
                    .sorted((a, b) -> a.id().compareTo(b.id()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Exchanges whose request body is kept as XML (the raw upload body of fedpkg-scratch-srpm/002 is not). */
    public static List<Exchange> xmlRequests() {
        return exchanges().stream().filter(Exchange::hasRequestXml).toList();
    }

    public static Exchange get(String capture, String nnn) {
        Exchange e = new Exchange(capture, nnn);
        if (!Files.exists(e.response())) {
            throw new IllegalArgumentException("no capture " + e.id());
        }
        return e;
    }

    /** index.md, keyed by {@code capture/NNN}. */
    public static synchronized Map<String, IndexRow> index() {
        if (index == null) {
            index = parseIndex(read(root().resolve("index.md")));
        }
        return index;
    }

    private static Map<String, IndexRow> parseIndex(String text) {
        Map<String, IndexRow> rows = new HashMap<>();
        String section = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("## ") || line.startsWith("### ")) {
                section = line.substring(line.indexOf(' ') + 1).trim();
                continue;
            }
            Matcher m = TABLE_ROW.matcher(line);
            if (section != null && m.matches()) {
                List<String> entries = m.group(4) == null ? List.of() : List.of(m.group(4).split(",\\s*"));
                rows.put(section + "/" + m.group(1),
                        new IndexRow(m.group(2), m.group(3).trim(), entries, m.group(5).trim()));
                continue;
            }
            Matcher f = FEDPKG_LINE.matcher(line);
            if (section != null && f.find()) {
                String path = f.group(2).contains("?") ? f.group(2).substring(0, f.group(2).indexOf('?')) : f.group(2);
                rows.put(section + "/" + f.group(1), new IndexRow(path, f.group(3), List.of(), "unknown"));
            }
        }
        return rows;
    }

    /** A top-level string (or null) member of NNN-meta.json, read without a JSON library. */
    public static Optional<String> metaString(Exchange e, String key) {
        if (!Files.exists(e.meta())) {
            return Optional.empty();
        }
        Matcher m = Pattern.compile("\n \"" + Pattern.quote(key) + "\": (null|\"((?:[^\"\\\\]|\\\\.)*)\")")
                .matcher(read(e.meta()));
        if (!m.find()) {
            throw new AssertionError(e.meta() + " has no member " + key);
        }
        return Optional.ofNullable(m.group(2));
    }

    /** A top-level boolean member of NNN-meta.json. */
    public static Optional<Boolean> metaBoolean(Exchange e, String key) {
        if (!Files.exists(e.meta())) {
            return Optional.empty();
        }
        Matcher m = Pattern.compile("\n \"" + Pattern.quote(key) + "\": (true|false)").matcher(read(e.meta()));
        if (!m.find()) {
            throw new AssertionError(e.meta() + " has no boolean member " + key);
        }
        return Optional.of(Boolean.parseBoolean(m.group(1)));
    }

    public static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(Path p) {
        try {
            return Files.newInputStream(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

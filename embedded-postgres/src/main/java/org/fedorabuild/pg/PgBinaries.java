package org.fedorabuild.pg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Locates the PostgreSQL server binaries: an explicit directory, else {@code $PG_BIN}, else the
 * newest Debian installation {@code /usr/lib/postgresql/<major>/bin}. Debian keeps initdb and
 * pg_ctl out of PATH (only wrappers are there), hence the versioned directory.
 */
record PgBinaries(Path binDir) {
    static final String ENV = "PG_BIN";
    static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

    static PgBinaries locate(Path configured) {
        if (configured != null) {
            return checked(configured, "configured binary directory");
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return checked(Path.of(env), "$" + ENV);
        }
        Optional<Path> newest = newestDebian();
        if (newest.isEmpty()) {
            throw new EmbeddedPostgresException("no PostgreSQL server binaries found: " + DEBIAN_ROOT
                    + "/<version>/bin/initdb does not exist; install postgresql (Debian package postgresql-15 or"
                    + " newer) or set " + ENV + " to the directory holding initdb, pg_ctl and postgres");
        }
        return checked(newest.get(), "newest version under " + DEBIAN_ROOT);
    }

    Path initdb() {
        return binDir.resolve("initdb");
    }

    Path pgCtl() {
        return binDir.resolve("pg_ctl");
    }

    Path postgres() {
        return binDir.resolve("postgres");
    }

    private static PgBinaries checked(Path dir, String origin) {
        PgBinaries b = new PgBinaries(dir.toAbsolutePath().normalize());
        List<String> missing = Stream.of(b.initdb(), b.pgCtl(), b.postgres())
                .filter(p -> !Files.isExecutable(p)).map(Path::toString).collect(Collectors.toList());
        if (!missing.isEmpty()) {
            throw new EmbeddedPostgresException("PostgreSQL binary directory " + dir + " (" + origin
                    + ") lacks executable " + String.join(", ", missing) + "; expected initdb, pg_ctl and postgres");
        }
        return b;
    }

    /** Orders by the numeric major version, so 9.6 < 10 < 15 (a string sort would put 9.6 last). */
    private static Optional<Path> newestDebian() {
        if (!Files.isDirectory(DEBIAN_ROOT)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_ROOT)) {
            return versions
                    .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                    .max(Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"));
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot list " + DEBIAN_ROOT + ": " + e, e);
        }
    }
}

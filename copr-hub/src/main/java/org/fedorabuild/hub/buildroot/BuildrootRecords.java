package org.fedorabuild.hub.buildroot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedorabuild.hub.db.Db;

/**
 * The record of every buildroot, as Koji keeps it: opened when a buildArch starts on a builder (BUILDING),
 * filled from the build's {@code installed_pkgs.log} and {@code available_pkgs.log} when it ends, then
 * EXPIRED; the RPMs built in it point back to it ({@code rpms.buildroot_id}). Shapes follow Koji's
 * {@code getBuildroot}, {@code listBuildroots} and {@code listRPMs(componentBuildrootID=…)}.
 */
public final class BuildrootRecords {
    /** Koji BR_STATES. */
    public static final int BUILDING = 2;
    public static final int EXPIRED = 3;
    /** Repository name the builder writes for the project's own packages in available_pkgs.log. */
    static final String PROJECT_REPO = "copr-project";
    /** ... and for what the hub fetched from the build repositories. */
    static final String BUILD_REPO = "build-repo";
    /**
     * {@code name-[epoch:]version-release.arch buildtime size sigmd5 extra} (extra: install time or repository); mock's
     * package_state plugin writes the same columns, leaving out a zero epoch.
     */
    private static final Pattern LINE = Pattern.compile("^(.+)-(?:(\\d+):)?([^-:\\s]+)-([^-\\s]+)\\.([^.\\s]+) (\\d+) (\\d+) (\\S+) (\\S+)$");

    private final Db db;

    public BuildrootRecords(Db db) {
        this.db = db;
    }

    /** A new BUILDING buildroot for task {@code taskId} on host {@code hostId}; returns its id. */
    public int open(int taskId, int hostId, Integer tagId, String arch) {
        return db.tx(() -> ((Number) db.scalar("INSERT INTO buildroots (task_id, host_id, tag_id, arch, state) VALUES (?, ?, ?, ?, ?)"
                + " RETURNING id", taskId, hostId, tagId, arch, BUILDING).orElseThrow()).intValue());
    }

    /** One package line of a package-state log. */
    record Pkg(String name, Integer epoch, String version, String release, String arch, long buildtime, long size,
            String sigmd5, String extra) {
        String key() {
            return name + "-" + epoch + ":" + version + "-" + release + "." + arch;
        }
    }

    static List<Pkg> parse(Path log) throws IOException {
        List<Pkg> out = new ArrayList<>();
        if (log == null || !Files.isRegularFile(log)) {
            return out;
        }
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher m = LINE.matcher(line.strip());
            if (m.matches()) {
                out.add(new Pkg(m.group(1), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)), m.group(3), m.group(4), m.group(5),
                        Long.parseLong(m.group(6)), Long.parseLong(m.group(7)), m.group(8), m.group(9)));
            }
        }
        return out;
    }

    /**
     * Records what the build's logs in {@code resultDir} list and expires the buildroot. Installed packages
     * take the origin of the repository that offered them (the project repository {@code projectRepo}, or the
     * builder's base system); packages the hub built are linked to their RPM by SIGMD5.
     */
    public void close(int buildrootId, Path resultDir, String projectRepo) throws IOException {
        close(buildrootId, resultDir, projectRepo, Map.of());
    }

    /** @param buildRepoUrls {@code name-epoch:version-release.arch} → URL of the build repository it came from */
    public void close(int buildrootId, Path resultDir, String projectRepo, Map<String, String> buildRepoUrls) throws IOException {
        List<Pkg> available = parse(resultDir.resolve("available_pkgs.log"));
        List<Pkg> installed = parse(resultDir.resolve("installed_pkgs.log"));
        Map<String, Pkg> offered = new LinkedHashMap<>();
        available.forEach(p -> offered.putIfAbsent(p.key() + " " + p.sigmd5(), p));
        db.tx(() -> {
            for (Pkg p : installed) {
                Pkg from = offered.get(p.key() + " " + p.sigmd5());
                insert(buildrootId, true, p, from == null ? "base" : from.extra(), projectRepo, buildRepoUrls);
            }
            for (Pkg p : available) {
                insert(buildrootId, false, p, p.extra(), projectRepo, buildRepoUrls);
            }
            db.update("UPDATE buildroots SET state = ?, retire_ts = now() WHERE id = ?", EXPIRED, buildrootId);
            return null;
        });
    }

    /** Expires a buildroot whose build ended without logs (failed early, killed, timed out). */
    public void expire(int buildrootId) {
        db.tx(() -> db.update("UPDATE buildroots SET state = ?, retire_ts = now() WHERE id = ? AND state <> ?", EXPIRED,
                buildrootId, EXPIRED));
    }

    private void insert(int buildrootId, boolean installed, Pkg p, String repo, String projectRepo, Map<String, String> buildRepoUrls) {
        boolean project = PROJECT_REPO.equals(repo);
        boolean buildRepo = BUILD_REPO.equals(repo);
        Object rpmId = project ? db.scalar("SELECT id FROM rpms WHERE payloadhash = ? AND name = ? ORDER BY id LIMIT 1",
                p.sigmd5(), p.name()).orElse(null) : null;
        db.update("INSERT INTO buildroot_listing (buildroot_id, installed, name, version, release, epoch, arch, size, buildtime,"
                + " payloadhash, origin, repo, rpm_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", buildrootId, installed,
                p.name(), p.version(), p.release(), p.epoch() == 0 ? null : p.epoch(), p.arch(), p.size(), p.buildtime(), p.sigmd5(),
                project ? "project" : buildRepo ? "build-repo" : "base",
                project ? projectRepo : buildRepo ? buildRepoUrls.getOrDefault(p.key(), "build repository") : "builder system", rpmId);
    }

    /** Points the RPMs with these SIGMD5s (built in it) at the buildroot. */
    public void built(int buildrootId, List<String> sigmd5s) {
        db.tx(() -> db.update("UPDATE rpms SET buildroot_id = ? WHERE buildroot_id IS NULL AND payloadhash = ANY(?)", buildrootId,
                (Object) sigmd5s.toArray(new String[0])));
    }
}

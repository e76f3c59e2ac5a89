package org.fedorabuild.hub.repo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.task.TaskOutputs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Build results under the storage root, laid out as Copr does: {@code OWNER/PROJECT/CHROOT/<build id, 8
 * digits>-<package>/} with the chroot's dnf repository ({@code repodata/}) beside the build directories.
 * After a buildArch task closes, its RPMs are copied there and the chroot's repository regenerated; the
 * {@code build_results} row is marked published and a READY {@code repos} row (what {@code getRepo}
 * answers) is added once the new {@code repomd.xml} is in place. Rows left unpublished by a crash are
 * finished at the next start ({@link #publishPending}).
 */
public final class Results {
    private static final Logger LOG = LoggerFactory.getLogger(Results.class);

    private final Db db;
    private final Path storageRoot;
    private final TaskOutputs outputs;
    private final RepoPublisher publisher;
    private final String publicUrl;

    public Results(Db db, Path storageRoot, TaskOutputs outputs, RepoPublisher publisher, String publicUrl) {
        this.db = db;
        this.publicUrl = publicUrl;
        this.storageRoot = storageRoot.toAbsolutePath().normalize();
        this.outputs = outputs;
        this.publisher = publisher;
    }

    public Path storageRoot() {
        return storageRoot;
    }

    public static String buildDir(String owner, String project, String chroot, int buildId, String pkg) {
        return owner + "/" + project + "/" + chroot + "/" + String.format("%08d", buildId) + "-" + pkg;
    }

    /** Copies the task's RPMs into the repository tree and regenerates the chroot repo; completes when published. */
    public CompletableFuture<Void> publish(int taskId) {
        var r = db.queryOne("SELECT br.build_id, br.dir, br.chroot_id, ct.id AS tag_id FROM build_results br"
                + " JOIN tags ct ON ct.chroot_id = br.chroot_id WHERE br.task_id = ?", taskId).orElse(null);
        if (r == null) {
            return CompletableFuture.completedFuture(null);
        }
        Path buildDir = storageRoot.resolve((String) r.get("dir")).normalize();
        if (!buildDir.startsWith(storageRoot) || buildDir.equals(storageRoot)) {
            LOG.warn("Task {} - refused to publish into {}: outside the storage root {}", taskId, buildDir, storageRoot);
            return CompletableFuture.failedFuture(new IOException("build directory outside the storage root: " + buildDir));
        }
        try {
            Files.createDirectories(buildDir);
            for (var rpm : db.query("SELECT path FROM rpms WHERE build_id = ?", r.get("build_id"))) {
                String name = Path.of((String) rpm.get("path")).getFileName().toString();
                Path dest = buildDir.resolve(name).normalize();
                if (!buildDir.equals(dest.getParent())) {
                    throw new IOException("RPM path " + rpm.get("path") + " leaves its build directory");
                }
                Path tmp = buildDir.resolve("." + name + ".part");
                Files.copy(outputs.dir(taskId).resolve(name), tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            copyLogs(outputs.dir(taskId), buildDir);
        } catch (IOException e) {
            LOG.warn("Task {} - cannot copy its RPMs into {}: {} (retried at the next start)", taskId, buildDir, e.toString());
            return CompletableFuture.failedFuture(e);
        }
        Path chrootDir = buildDir.getParent();
        return publisher.request(chrootDir).thenRun(() -> db.tx(() -> {
            writeRepoFile(chrootDir.getParent());
            db.update("UPDATE build_results SET published = true, published_time = now() WHERE task_id = ?", taskId);
            db.update("UPDATE repos SET state = 2 WHERE tag_id = ? AND state = 1", r.get("tag_id"));
            db.insert("INSERT INTO repos (tag_id, state) VALUES (?, 1) RETURNING id", r.get("tag_id"));
            return null;
        })).whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("Task {} - publication of {} failed: {}", taskId, chrootDir, e.toString());
            }
        });
    }

    /**
     * The task's logs, gzipped beside the RPMs ({@code build.log.gz}), so a Copr-style results folder holds the whole
     * build as {@code copr-cli download-build} expects; createrepo_c ignores them.
     */
    private static void copyLogs(Path taskDir, Path buildDir) throws IOException {
        if (!Files.isDirectory(taskDir)) {
            return;
        }
        try (var s = Files.list(taskDir)) {
            for (Path log : s.filter(p -> p.getFileName().toString().endsWith(".log") && Files.isRegularFile(p)).toList()) {
                Path tmp = buildDir.resolve("." + log.getFileName() + ".gz.part");
                try (var in = Files.newInputStream(log); var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(tmp))) {
                    in.transferTo(out);
                }
                Files.move(tmp, buildDir.resolve(log.getFileName() + ".gz"), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    /** The .repo file of a project directory, as Copr names it ({@code group_NAME-PROJECT.repo} for groups). */
    public static String repoFileName(String owner, String project) {
        return (owner.startsWith("@") ? "group_" + owner.substring(1) : owner) + "-" + project + ".repo";
    }

    /**
     * One section per OS family of the project's chroots, with dnf's variables standing for the release and
     * arch, so one file serves every chroot: {@code baseurl=…/results/alice/hello/fedora-$releasever-$basearch/}.
     */
    private void writeRepoFile(Path projectDir) throws IOException {
        String owner = projectDir.getParent().getFileName().toString();
        String project = projectDir.getFileName().toString();
        java.util.TreeSet<String> families = new java.util.TreeSet<>();
        try (var s = Files.list(projectDir)) {
            s.filter(p -> Files.isDirectory(p.resolve("repodata"))).forEach(p -> {
                String c = p.getFileName().toString();
                String[] parts = c.split("-");
                if (parts.length >= 3) {
                    families.add(String.join("-", java.util.Arrays.copyOf(parts, parts.length - 2)));
                }
            });
        }
        StringBuilder sb = new StringBuilder();
        for (String family : families) {
            sb.append("[copr-hub:").append(owner).append(':').append(project).append(families.size() > 1 ? ":" + family : "")
                    .append("]\nname=Copr repo for ").append(project).append(" owned by ").append(owner)
                    .append(" (copr-hub)\nbaseurl=").append(publicUrl).append("/results/").append(owner).append('/').append(project)
                    .append('/').append(family).append("-$releasever-$basearch/\ntype=rpm-md\nskip_if_unavailable=True\n")
                    .append("gpgcheck=0\nrepo_gpgcheck=0\nenabled=1\n\n");
        }
        Path file = projectDir.resolve(repoFileName(owner, project));
        Path tmp = projectDir.resolve("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, sb.toString());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Finishes publications a dead hub left: builds recorded more than {@code age} ago and not yet published.
     * A publication a live hub is still running is merely repeated (copies replace, regenerations serialize
     * on the chroot's lock), so a slow one does no harm.
     */
    public void publishStale(java.time.Duration age) {
        for (var r : db.query("SELECT br.task_id FROM build_results br JOIN tasks t ON t.id = br.task_id WHERE NOT br.published"
                + " AND t.completion_time < now() - CAST(? AS interval) ORDER BY br.task_id", age.toMillis() + " milliseconds")) {
            LOG.info("Task {} - finishing a publication another hub left", r.get("task_id"));
            publish((Integer) r.get("task_id"));
        }
    }

    /** Finishes publications a crash interrupted. */
    public void publishPending() {
        for (var r : db.query("SELECT task_id FROM build_results WHERE NOT published ORDER BY task_id")) {
            LOG.info("Task {} - finishing its interrupted publication", r.get("task_id"));
            publish((Integer) r.get("task_id"));
        }
    }
}

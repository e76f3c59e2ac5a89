package org.fedorabuild.hub.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Bytes on disk under the storage root, per project ({@code OWNER/PROJECT}) and per chroot: what
 * {@code copr-hub project show} prints and the {@code copr_hub_project_disk_bytes} gauge exports. Measured
 * from the files, so it includes repodata and .repo files; task outputs under the work area are not counted.
 */
public final class DiskUsage {
    private final Path storageRoot;
    private volatile Map<String, Long> cached = Map.of();
    private volatile long cachedAt;

    public DiskUsage(Path storageRoot) {
        this.storageRoot = storageRoot.toAbsolutePath().normalize();
    }

    /** OWNER/PROJECT/CHROOT (and OWNER/PROJECT for files directly in the project) → bytes. */
    public Map<String, Long> chroots(String owner, String project) {
        Map<String, Long> m = new TreeMap<>();
        Path dir = storageRoot.resolve(owner).resolve(project);
        if (!Files.isDirectory(dir)) {
            return m;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> !p.getFileName().toString().startsWith(".")).forEach(p -> {
                if (Files.isDirectory(p)) {
                    m.put(p.getFileName().toString(), StorageFiles.size(p));
                }
            });
        } catch (IOException e) {
            return m;
        }
        return m;
    }

    /** OWNER/PROJECT → bytes of every project directory; cached for {@code maxAgeMillis}. */
    public Map<String, Long> projects(long maxAgeMillis) {
        long now = System.currentTimeMillis();
        if (now - cachedAt < maxAgeMillis) {
            return cached;
        }
        Map<String, Long> m = new TreeMap<>();
        if (Files.isDirectory(storageRoot)) {
            try (Stream<Path> owners = Files.list(storageRoot)) {
                for (Path o : (Iterable<Path>) owners.filter(Files::isDirectory)::iterator) {
                    try (Stream<Path> projects = Files.list(o)) {
                        for (Path p : (Iterable<Path>) projects.filter(Files::isDirectory)::iterator) {
                            if (!p.getFileName().toString().startsWith(".")) {
                                m.put(o.getFileName() + "/" + p.getFileName(), StorageFiles.size(p));
                            }
                        }
                    }
                }
            } catch (IOException e) {
                return cached;
            }
        }
        cached = m;
        cachedAt = now;
        return m;
    }
}

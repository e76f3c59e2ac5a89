package org.fedorabuild.hub.repo;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.db.Db;

/**
 * Where koji download-build looks for a build's RPMs, answered from the repository tree. Builds carry their
 * project as Koji's {@code volume_name}, so the CLI asks for
 * {@code /kojifiles/vol/OWNER/PROJECT/packages/NAME/VERSION/RELEASE/ARCH/FILE} ({@code OWNER} may be
 * {@code @group}); the volume-less {@code /kojifiles/packages/…} form is answered only while a single project
 * holds that NVR, so no project can make it serve its RPM in place of another's.
 */
public final class PackageFiles {
    private static final String SELECT = "SELECT r.path, b.project_id FROM rpms r JOIN builds b ON b.id = r.build_id"
            + " JOIN packages pk ON pk.id = b.package_id JOIN projects pr ON pr.id = b.project_id JOIN users ow ON ow.id = pr.owner_id"
            + " WHERE pk.name = ? AND b.version = ? AND b.release = ? AND r.arch = ? AND b.state <> 2"
            + " AND r.name || '-' || r.version || '-' || r.release || '.' || r.arch || '.rpm' = ?";

    private final Db db;
    private final Path root;

    public PackageFiles(Db db, Path storageRoot) {
        this.db = db;
        this.root = storageRoot;
    }

    /** {@code NAME/VERSION/RELEASE/ARCH/FILE} → the file, when exactly one project holds it. */
    public Path packages(String rel) {
        String[] p = rel.split("/");
        if (p.length != 5) {
            return null;
        }
        List<Map<String, Object>> rows = db.query(SELECT + " ORDER BY b.id DESC", p[0], p[1], p[2], p[3], p[4]);
        if (rows.isEmpty() || rows.stream().map(r -> r.get("project_id")).distinct().count() > 1) {
            return null;
        }
        return under((String) rows.get(0).get("path"));
    }

    /** {@code OWNER/PROJECT/packages/NAME/VERSION/RELEASE/ARCH/FILE} → the file of that project's newest such build. */
    public Path volume(String rel) {
        String[] p = rel.split("/");
        if (p.length != 8 || !p[2].equals("packages")) {
            return null;
        }
        return db.scalar(SELECT + " AND ow.name = ? AND pr.name = ? ORDER BY b.id DESC LIMIT 1", p[3], p[4], p[5], p[6], p[7],
                p[0], p[1]).map(path -> under((String) path)).orElse(null);
    }

    private Path under(String rel) {
        Path f = root.resolve(rel).normalize();
        return f.startsWith(root) ? f : null;
    }
}

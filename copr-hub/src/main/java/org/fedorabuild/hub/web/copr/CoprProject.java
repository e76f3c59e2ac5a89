package org.fedorabuild.hub.web.copr;

import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.web.HttpError;
import org.fedorabuild.hub.web.Row;
import org.fedorabuild.hub.web.WebRequest;

/**
 * The project a Copr URL names ({@code /coprs/OWNER/PROJECT/…} or {@code /coprs/g/GROUP/PROJECT/…}), with its
 * chroots; unknown or deleted projects are a 404.
 */
public record CoprProject(int id, String owner, String name, int tagId, Row row, List<String> chroots) {
    public static CoprProject of(Db db, WebRequest req) {
        String owner = ownerOf(req);
        String name = req.path("project");
        Map<String, Object> r = db.queryOne("SELECT p.id, u.name AS owner, p.name, p.description, p.instructions, p.create_time,"
                + " t.id AS tag_id FROM projects p JOIN users u ON u.id = p.owner_id"
                + " JOIN tags t ON t.project_id = p.id AND t.chroot_id IS NULL"
                + " WHERE u.name = ? AND p.name = ? AND p.deleted_time IS NULL", owner, name)
                .orElseThrow(() -> HttpError.notFound("No project " + owner + "/" + name + "."));
        List<String> chroots = db.query("SELECT name FROM project_chroots WHERE project_id = ? AND enabled ORDER BY name", r.get("id"))
                .stream().map(c -> (String) c.get("name")).toList();
        return new CoprProject((Integer) r.get("id"), owner, name, (Integer) r.get("tag_id"), new Row(r), chroots);
    }

    /** {@code alice} from {@code /coprs/alice/…}, {@code @tools} from {@code /coprs/g/tools/…}. */
    static String ownerOf(WebRequest req) {
        return req.hasPath("group") ? "@" + req.path("group") : req.path("owner");
    }

    public String url() {
        return CoprLinks.project(owner, name);
    }

    public String fullName() {
        return owner + "/" + name;
    }

    /** The chroot a buildArch task built: its label is the chroot name, or the arch when only one chroot has it. */
    public String chrootOf(String label) {
        if (label == null || chroots.contains(label)) {
            return label;
        }
        return chroots.stream().filter(c -> c.endsWith("-" + label)).findFirst().orElse(label);
    }
}

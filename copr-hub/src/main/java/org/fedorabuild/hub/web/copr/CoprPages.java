package org.fedorabuild.hub.web.copr;

import java.util.Map;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.web.Paging;
import org.fedorabuild.hub.web.Router;
import org.fedorabuild.hub.web.Row;
import org.fedorabuild.hub.web.WebRequest;
import org.fedorabuild.hub.web.WebResponse;

/** Copr's project pages: {@code /coprs/…} and the group form {@code /coprs/g/GROUP/…}. */
public final class CoprPages implements Router.PageSet {
    private final Db db;

    public CoprPages(Db db) {
        this.db = db;
    }

    @Override
    public void register(Router r) {
        r.get("/coprs/", this::projects);
    }

    /** All listed projects, newest activity first. */
    WebResponse projects(WebRequest req) {
        Paging paging = Paging.of(req, 50);
        var rows = db.query("SELECT u.name AS owner, p.name, p.description, p.create_time,"
                + " GREATEST(p.create_time, (SELECT max(t.create_time) FROM tasks t WHERE t.project_id = p.id AND t.parent IS NULL)) AS active"
                + " FROM projects p JOIN users u ON u.id = p.owner_id WHERE p.deleted_time IS NULL AND NOT p.unlisted"
                + " ORDER BY active DESC, p.id DESC LIMIT ? OFFSET ?", paging.limit(), paging.offset());
        return WebResponse.page("copr/projects.jte", Map.of("title", "Projects", "page", paging.cut(Row.of(rows), req)));
    }
}

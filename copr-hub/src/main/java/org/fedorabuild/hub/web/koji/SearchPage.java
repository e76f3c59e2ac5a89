package org.fedorabuild.hub.web.koji;

import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.web.HttpError;
import org.fedorabuild.hub.web.Paging;
import org.fedorabuild.hub.web.Router;
import org.fedorabuild.hub.web.Row;
import org.fedorabuild.hub.web.WebRequest;
import org.fedorabuild.hub.web.WebResponse;
import org.fedorabuild.hub.web.copr.CoprLinks;

/**
 * {@code /koji/search?terms=…&type=package|build|project|user|host&match=glob|exact}: names by glob
 * ({@code *} any run, {@code ?} one character) or exactly. One exact hit goes straight to its page, as kojiweb does.
 */
public final class SearchPage implements Router.PageSet {
    static final List<String> TYPES = List.of("package", "build", "project", "user", "host");

    private final Db db;

    public SearchPage(Db db) {
        this.db = db;
    }

    @Override
    public void register(Router r) {
        r.get("/koji/search", this::search);
    }

    WebResponse search(WebRequest req) {
        String terms = req.param("terms").orElse("");
        String type = req.param("type").orElse("package");
        String match = req.param("match").orElse("glob");
        if (!TYPES.contains(type)) {
            throw HttpError.badRequest("bad type '" + type + "': expected one of " + String.join(", ", TYPES));
        }
        if (!match.equals("glob") && !match.equals("exact")) {
            throw HttpError.badRequest("bad match '" + match + "': expected glob or exact");
        }
        Paging paging = Paging.of(req, 50);
        List<Row> hits = List.of();
        if (!terms.isEmpty()) {
            String pattern = match.equals("exact") ? org.fedorabuild.hub.api.Args.likeLiteral(terms)
                    : org.fedorabuild.hub.api.Args.globToLike(terms);
            hits = Row.of(db.query(sql(type), pattern, paging.limit(), paging.offset()));
            for (Row h : hits) {
                h.with("href", href(type, h));
            }
            if (hits.size() == 1 && paging.page() == 1 && match.equals("exact")) {
                return WebResponse.redirect(hits.get(0).s("href"));
            }
        }
        return WebResponse.page("koji/search.jte", Map.of("terms", terms, "type", type, "match", match, "types", TYPES,
                "page", paging.cut(hits, req)));
    }

    private static String sql(String type) {
        String page = " ORDER BY label LIMIT ? OFFSET ?";
        return switch (type) {
            case "package" -> "SELECT id, name AS label FROM packages WHERE name LIKE ?" + page;
            case "build" -> "SELECT * FROM (SELECT b.id, pk.name || '-' || b.version || '-' || b.release AS label FROM builds b"
                    + " JOIN packages pk ON pk.id = b.package_id) x WHERE label LIKE ?" + page;
            case "project" -> "SELECT * FROM (SELECT p.id, u.name || '/' || p.name AS label, u.name AS owner, p.name FROM projects p"
                    + " JOIN users u ON u.id = p.owner_id WHERE p.deleted_time IS NULL) x WHERE label LIKE ?" + page;
            case "user" -> "SELECT id, name AS label FROM users WHERE usertype IN (0, 2) AND name LIKE ?" + page;
            default -> "SELECT id, name AS label FROM hosts WHERE name LIKE ?" + page;
        };
    }

    private static String href(String type, Row h) {
        return switch (type) {
            case "package" -> KojiLinks.pkg(h.i("id"));
            case "build" -> KojiLinks.build(h.i("id"));
            case "project" -> CoprLinks.project(h.s("owner"), h.s("name"));
            case "user" -> KojiLinks.user(h.i("id"));
            default -> KojiLinks.host(h.i("id"));
        };
    }
}

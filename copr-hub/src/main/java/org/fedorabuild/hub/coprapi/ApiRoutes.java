package org.fedorabuild.hub.coprapi;

import java.util.List;
import org.fedorabuild.hub.server.HubServices;

/**
 * The API v3 endpoints copr-cli uses, by method and path (PUT and DELETE routes also take POST, as Copr's
 * frontend does). Anything else is 404 "Such API endpoint doesn't exist", worded as Copr.
 */
final class ApiRoutes {
    private final ProjectEndpoints projects;
    private final BuildEndpoints builds;
    private final PackageEndpoints packages;

    ApiRoutes(HubServices services) {
        this.projects = new ProjectEndpoints(services);
        BuildRequests requests = new BuildRequests(services);
        CoprBuilds read = new CoprBuilds(services.db, services.config.publicUrl());
        this.builds = new BuildEndpoints(services, requests, read);
        this.packages = new PackageEndpoints(services, requests, read);
    }

    Object handle(ApiRequest r) throws Exception {
        List<String> p = r.path;
        String m = r.method;
        boolean get = m.equals("GET");
        boolean post = m.equals("POST");
        boolean put = m.equals("PUT") || post;
        boolean delete = m.equals("DELETE") || post;
        String head = p.isEmpty() ? "" : p.get(0);
        String second = p.size() > 1 ? p.get(1) : "";
        int n = p.size();
        switch (head) {
            case "project":
                if (get && n == 1) {
                    return projects.get(r);
                } else if (get && n == 2 && second.equals("list")) {
                    return projects.list(r);
                } else if (get && n == 2 && second.equals("search")) {
                    return projects.search(r);
                } else if (post && n == 3 && second.equals("add")) {
                    return projects.add(r, p.get(2));
                } else if (put && n == 4 && second.equals("edit")) {
                    return projects.edit(r, p.get(2), p.get(3));
                } else if (delete && n == 4 && second.equals("delete")) {
                    return projects.delete(r, p.get(2), p.get(3));
                }
                break;
            case "project-chroot":
                if (get && n == 1) {
                    return projects.chroot(r);
                } else if (get && n == 2 && second.equals("build-config")) {
                    return projects.buildConfig(r);
                } else if (put && n == 5 && second.equals("edit")) {
                    return projects.editChroot(r, p.get(2), p.get(3), p.get(4));
                }
                break;
            case "mock-chroots":
                if (get && n == 2 && second.equals("list")) {
                    return projects.mockChroots();
                }
                break;
            case "build":
                return builds.handle(r, get, post, put, delete);
            case "build-chroot":
                if (get && n == 2 && second.equals("list")) {
                    return builds.chrootList(r);
                } else if (get && n == 1) {
                    return builds.chroot(r);
                }
                break;
            case "package":
                return packages.handle(r, get, post, put, delete);
            default:
                break;
        }
        throw notFound();
    }

    static ApiError notFound() {
        return ApiError.notFound("Such API endpoint doesn't exist");
    }

    /** Copr's paginated answer: {"items": [...], "meta": {limit, offset, order, order_type}}. */
    static java.util.Map<String, Object> page(List<?> items, Integer limit, Integer offset, String order, String orderType) {
        java.util.Map<String, Object> meta = new java.util.LinkedHashMap<>();
        meta.put("limit", limit);
        meta.put("offset", offset);
        meta.put("order", order);
        meta.put("order_type", orderType);
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("items", items);
        m.put("meta", meta);
        return m;
    }

    /** limit/offset/order/order_type of a list call; {@code limit} absent = everything, bounded by {@code cap}. */
    record Paging(int limit, int offset, String order, String orderType, boolean limited) {
        static Paging of(ApiRequest r, int cap) {
            String l = r.query.get("limit");
            String o = r.query.get("offset");
            int limit = l == null || l.isEmpty() ? cap : Math.min(cap, r.id("limit", l));
            int offset = o == null || o.isEmpty() ? 0 : r.id("offset", o);
            String order = r.query.getOrDefault("order", "id");
            if (!order.equals("id")) {
                throw ApiError.badRequest("order: only 'id' is supported, got '" + ApiRequest.shorten(order) + "'");
            }
            String type = r.query.getOrDefault("order_type", "ASC").toUpperCase(java.util.Locale.ROOT);
            if (!type.equals("ASC") && !type.equals("DESC")) {
                throw ApiError.badRequest("order_type: expected ASC or DESC, got '" + ApiRequest.shorten(type) + "'");
            }
            return new Paging(limit, offset, order, type, l != null && !l.isEmpty());
        }

        java.util.Map<String, Object> page(List<?> items) {
            return ApiRoutes.page(items, limited ? limit : null, offset, order, orderType);
        }
    }
}

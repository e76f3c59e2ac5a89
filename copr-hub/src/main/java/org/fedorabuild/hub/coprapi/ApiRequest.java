package org.fedorabuild.hub.coprapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.MultiPartFormData;

/**
 * One API v3 call as the endpoints see it: the method, the path after {@code /api_3/} in segments, the query
 * (python-copr repeats path values there), the JSON body (or the {@code json} part of an upload, with the
 * file parts beside it) and the authenticated user, when the request carried valid Basic credentials.
 */
final class ApiRequest {
    final String method;
    final List<String> path;
    final Map<String, String> query;
    final JsonNode body;
    final MultiPartFormData.Parts parts;
    final ApiUser user;

    /** The caller, authenticated by login and API token. */
    record ApiUser(int id, String name) {
    }

    ApiRequest(String method, List<String> path, Map<String, String> query, JsonNode body, MultiPartFormData.Parts parts, ApiUser user) {
        this.method = method;
        this.path = path;
        this.query = query;
        this.body = body == null ? JsonNodeFactory.instance.objectNode() : body;
        this.parts = parts;
        this.user = user;
    }

    /** The caller, or 401 as Copr answers a call that needs a login. */
    ApiUser requireUser() {
        if (user == null) {
            throw new ApiError(401, "login required");
        }
        return user;
    }

    /** A value from the body, else the query; null when absent, JSON null or empty. */
    String text(String key) {
        JsonNode v = body.get(key);
        if (v != null && !v.isNull()) {
            String s = v.isTextual() ? v.asText() : v.toString();
            return s.isEmpty() ? null : s;
        }
        String q = query.get(key);
        return q == null || q.isEmpty() ? null : q;
    }

    String required(String key) {
        String v = text(key);
        if (v == null) {
            throw ApiError.badRequest(key + ": this field is required");
        }
        return v;
    }

    /** A boolean field: JSON true/false, or Python's True/False in the query; null when absent. */
    Boolean bool(String key) {
        JsonNode v = body.get(key);
        if (v != null && !v.isNull()) {
            if (v.isBoolean()) {
                return v.booleanValue();
            }
            return parseBool(key, v.asText());
        }
        String q = query.get(key);
        return q == null ? null : parseBool(key, q);
    }

    private static Boolean parseBool(String key, String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "on", "y" -> true;
            case "false", "0", "no", "off", "n", "" -> false;
            default -> throw ApiError.badRequest(key + ": expected true or false, got '" + shorten(s) + "'");
        };
    }

    /** A list field: a JSON array of strings, or one string split on newlines, commas and spaces; null when absent. */
    List<String> list(String key) {
        JsonNode v = body.get(key);
        if (v == null || v.isNull()) {
            String q = query.get(key);
            return q == null ? null : split(q);
        }
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode e : v) {
                if (!e.isValueNode() || e.isNull()) {
                    throw ApiError.badRequest(key + ": expected a list of strings");
                }
                out.add(e.asText());
            }
            return out;
        }
        if (v.isValueNode()) {
            return split(v.asText());
        }
        throw ApiError.badRequest(key + ": expected a list of strings");
    }

    /** A positive integer from the path, query or body. */
    int id(String key, String value) {
        if (value == null || !value.matches("[0-9]{1,9}")) {
            throw ApiError.badRequest(key + ": expected a number, got '" + shorten(String.valueOf(value)) + "'");
        }
        return Integer.parseInt(value);
    }

    private static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        for (String p : s.split("[\\s,]+")) {
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    static String shorten(String s) {
        String v = s.replaceAll("\\p{Cntrl}", "?");
        return v.length() > 80 ? v.substring(0, 77) + "..." : v;
    }
}

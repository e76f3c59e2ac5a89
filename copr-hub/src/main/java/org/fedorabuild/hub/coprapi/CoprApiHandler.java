package org.fedorabuild.hub.coprapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.hub.coprapi.ApiRequest.ApiUser;
import org.fedorabuild.hub.namespace.ProjectError;
import org.fedorabuild.hub.server.HubServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copr's API v3 at {@code /api_3/}, for the unmodified copr-cli and python-copr (wire details:
 * ../shared/copr-api.md). Paths are answered with and without a trailing slash; bodies are JSON, or
 * multipart with a {@code json} part for uploads; HTTP Basic {@code login:token} is checked when sent
 * (login = the copr-hub user name, token = one of its API tokens). Every call runs in one transaction;
 * every refusal is {@code {"error": "..."}} with Copr's status, never a stack trace.
 */
public final class CoprApiHandler extends Handler.Abstract {
    static final String PREFIX = "/api_3";
    /** NOTE: worded as Copr's frontend; copr-cli prints it. */
    private static final String LOGIN_INVALID = "Login invalid/expired. Please visit %s/api to get or renew your API token.";
    private static final Logger LOG = LoggerFactory.getLogger(CoprApiHandler.class);
    private static final int MAX_JSON = 1 << 20;

    static final ObjectMapper JSON = new ObjectMapper();

    private final HubServices services;
    private final ApiRoutes routes;
    private final Path partsDir;
    private final String loginInvalid;

    public CoprApiHandler(HubServices services) {
        this.services = services;
        this.routes = new ApiRoutes(services);
        this.partsDir = services.config.workDir().resolve("tmp").resolve("copr-api");
        this.loginInvalid = String.format(LOGIN_INVALID, services.config.publicUrl());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/")) {
            return false;
        }
        long start = System.nanoTime();
        int status = 200;
        Object answer;
        ApiUser user = null;
        MultiPartFormData.Parts parts = null;
        try {
            List<String> segments = new ArrayList<>();
            for (String s : path.substring(PREFIX.length()).split("/")) {
                if (!s.isEmpty()) {
                    segments.add(s);
                }
            }
            Map<String, String> query = new LinkedHashMap<>();
            Fields fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
            fields.forEach(f -> query.put(f.getName(), f.getValue()));
            user = authenticate(request);
            JsonNode body = null;
            String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
                parts = parts(request, type);
                var json = parts.getFirst("json");
                body = json == null ? null : parseJson(json.getContentAsString(StandardCharsets.UTF_8));
            } else if (!"GET".equals(request.getMethod())) {
                body = parseJson(readBody(request));
            }
            ApiRequest r = new ApiRequest(request.getMethod(), List.copyOf(segments), query, body, parts, user);
            answer = services.db.inTransaction(() -> routes.handle(r));
        } catch (ApiError e) {
            status = e.status;
            // 401 is Copr's failed-login answer, with its "output" member
            answer = e.status == 401 ? Map.of("output", "notok", "error", loginInvalid) : error(e.getMessage());
        } catch (ProjectError e) {
            status = e.status();
            answer = error(e.getMessage());
        } catch (KojiFault.ActionNotAllowed e) {
            status = 403;
            answer = error(e.getMessage());
        } catch (KojiFault.ServerOffline e) {
            status = 503;
            answer = error("the hub is offline: " + e.getMessage());
        } catch (KojiFault e) {
            status = 400;
            answer = error(e.getMessage());
        } catch (Exception e) {
            status = 500;
            String ref = Long.toHexString(System.nanoTime());
            LOG.error("Copr API - {} {} failed (ref {})", request.getMethod(), path, ref, e);
            answer = error("internal error (ref " + ref + " in the hub's log)");
        } finally {
            if (parts != null) {
                parts.close();
            }
        }
        byte[] bytes = JSON.writeValueAsBytes(answer);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, java.nio.ByteBuffer.wrap(bytes), callback);
        LOG.info("Copr API - {} {} by {} from {}: {} in {} ms", request.getMethod(), path, user == null ? "-" : user.name(),
                Request.getRemoteAddr(request), status, (System.nanoTime() - start) / 1_000_000);
        return true;
    }

    static Map<String, Object> error(String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        return m;
    }

    /**
     * HTTP Basic {@code login:token}, as python-copr sends it on every call that changes something. A
     * request without the header is anonymous (reads); a wrong pair is 401 worded as Copr's frontend.
     */
    private ApiUser authenticate(Request request) throws Exception {
        String h = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (h == null) {
            return null;
        }
        String login;
        String token;
        try {
            if (!h.regionMatches(true, 0, "Basic ", 0, 6)) {
                throw new IllegalArgumentException("not Basic");
            }
            String pair = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            login = pair.substring(0, colon);
            token = pair.substring(colon + 1);
        } catch (RuntimeException e) {
            throw new ApiError(401, "login");
        }
        ApiUser u = services.db.inTransaction(() -> {
            var row = services.users.byName(login).orElse(null);
            if (row == null || (Integer) row.get("status") != 0 || (Integer) row.get("usertype") != org.fedorabuild.hub.auth.Users.NORMAL
                    || !services.tokens.verify((Integer) row.get("id"), token)) {
                return null;
            }
            return new ApiUser((Integer) row.get("id"), (String) row.get("name"));
        });
        if (u == null) {
            LOG.info("Copr API - refused login '{}' from {}", ApiRequest.shorten(login), Request.getRemoteAddr(request));
            throw new ApiError(401, "login");
        }
        return u;
    }

    private static String readBody(Request request) throws IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] b = in.readNBytes(MAX_JSON + 1);
            if (b.length > MAX_JSON) {
                throw ApiError.badRequest("request body over " + MAX_JSON + " bytes");
            }
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    private static JsonNode parseJson(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(text);
            if (n != null && !n.isObject() && !n.isNull()) {
                throw ApiError.badRequest("the request body must be a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** Multipart bodies go to files under the work directory, bounded by the hub's upload limit. */
    private MultiPartFormData.Parts parts(Request request, String contentType) throws Exception {
        Files.createDirectories(partsDir);
        MultiPartFormData.Parser parser = new MultiPartFormData.Parser(
                org.eclipse.jetty.http.MultiPart.extractBoundary(contentType));
        long max = services.config.builds().uploadMaxSize();
        parser.setFilesDirectory(partsDir);
        parser.setMaxFileSize(max);
        parser.setMaxLength(max + MAX_JSON);
        parser.setMaxMemoryFileSize(64 * 1024);
        parser.setMaxParts(32);
        try {
            return parser.parse(request).get(1, TimeUnit.HOURS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw ApiError.badRequest("unreadable upload: " + e.getCause().getMessage() + " (uploads are limited to " + max + " bytes)");
        }
    }
}

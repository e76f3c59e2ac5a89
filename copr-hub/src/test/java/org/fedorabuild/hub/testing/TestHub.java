package org.fedorabuild.hub.testing;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.fedorabuild.compat.client.ClientSettings;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.wire.KojiCodec;
import org.fedorabuild.compat.wire.WireLimits;
import org.fedorabuild.hub.config.HubConfig;
import org.fedorabuild.hub.config.HubConfigLoader;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.server.HubServer;
import org.fedorabuild.hub.server.HubServices;

/** A real copr-hub (Jetty on 127.0.0.1, port 0) on a test database, with raw-HTTP and KojiClient access. */
public final class TestHub implements AutoCloseable {
    public static final KojiCodec CODEC = new KojiCodec(WireLimits.RESPONSE);

    public final HubConfig config;
    public final HubServices services;
    public final HubServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private TestHub(HubConfig config, HubServices services, HubServer server) {
        this.config = config;
        this.services = services;
        this.server = server;
    }

    public static TestHub start(DataSource dataSource) {
        return start(dataSource, "");
    }

    /** {@code extraIni}: more [hub] lines, e.g. TLS settings. */
    public static TestHub start(DataSource dataSource, String extraIni) {
        return start(dataSource, "127.0.0.1:0", extraIni);
    }

    /** On a given {@code listen} address: a fixed port makes PublicURL (results and Copr links) point at this hub. */
    public static TestHub start(DataSource dataSource, String listen, String extraIni) {
        HubConfig config = HubConfigLoader.parse("test.conf", "[hub]\nListen = " + listen + "\nBootstrapAdmin =\n" + extraIni,
                HubConfigLoader.Overrides.NONE);
        HubServices services = new HubServices(new Db(dataSource), config);
        try {
            return new TestHub(config, services, HubServer.start(config, services));
        } catch (Exception e) {
            throw new IllegalStateException("hub did not start", e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.port() + "/kojihub";
    }

    public KojiClient client() {
        return new KojiClient(ClientSettings.defaults(URI.create(url())).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30)));
    }

    /** A raw POST as the koji CLI sends it; returns the HTTP response. */
    public HttpResponse<String> post(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Content-Type", "text/xml").header("User-Agent", "koji/1")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("POST " + path + " failed", e);
        }
    }

    /** The decoded answer of a raw call; a fault is thrown as {@link KojiFault}. */
    public static Object decode(String responseBody) {
        try {
            return CODEC.decodeResponse(new ByteArrayInputStream(responseBody.getBytes(StandardCharsets.UTF_8)));
        } catch (org.fedorabuild.compat.wire.WireFormatException e) {
            throw new AssertionError("undecodable response: " + responseBody, e);
        }
    }

    /** Session headers as the CLI sends them after login. */
    public static Map<String, String> sessionHeaders(Map<?, ?> sinfo, long callnum) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Koji-Session-Id", String.valueOf(sinfo.get("session-id")));
        h.put("Koji-Session-Key", String.valueOf(sinfo.get("session-key")));
        h.put("Koji-Session-Callnum", String.valueOf(callnum));
        return h;
    }

    @Override
    public void close() {
        server.close();
        services.close();
    }
}

package org.fedorabuild.hub.server;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.fedorabuild.compat.server.KojiDispatcher;
import org.fedorabuild.compat.server.KojiHubHandler;
import org.fedorabuild.compat.wire.KojiCodec;
import org.fedorabuild.compat.wire.WireLimits;
import org.fedorabuild.hub.config.HubConfig;
import org.fedorabuild.hub.repo.FilesHandler;
import org.fedorabuild.hub.repo.PackageFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty for the hub: {@code /kojihub} (and {@code /kojihub/ssllogin}) through the compat
 * {@link KojiHubHandler}, {@code /health}, on plain HTTP and, when configured, HTTPS that asks for a
 * client certificate (wanted, not needed: anonymous and token clients use the same port).
 */
public final class HubServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HubServer.class);

    private final Server server;
    private final ServerConnector http;
    private final ServerConnector https;

    private HubServer(Server server, ServerConnector http, ServerConnector https) {
        this.server = server;
        this.http = http;
        this.https = https;
    }

    public static HubServer start(HubConfig config, HubServices services) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("hub");
        Server server = new Server(threads);
        HttpConfiguration httpConfig = new HttpConfiguration();
        httpConfig.setSendServerVersion(false);
        // a body trickled in slower than this is cut off (Jetty answers 408 and closes)
        httpConfig.setMinRequestDataRate(config.limits().minRequestDataRate());
        ServerConnector http = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
        limit(http, config);
        http.setHost(config.listen().host());
        http.setPort(config.listen().port());
        server.addConnector(http);
        ServerConnector https = null;
        if (config.tlsListen() != null) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(ServerTls.context(config.tlsCert(), config.tlsKey(), config.tlsClientCa()));
            ssl.setWantClientAuth(true);
            HttpConfiguration httpsConfig = new HttpConfiguration(httpConfig);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // Clients reach the hub by IP as often as by name; the certificate need not list both.
            secure.setSniHostCheck(false);
            httpsConfig.addCustomizer(secure);
            https = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(httpsConfig));
            https.setHost(config.tlsListen().host());
            https.setPort(config.tlsListen().port());
            limit(https, config);
            server.addConnector(https);
        }
        KojiCodec codec = new KojiCodec(new WireLimits(config.maxRequestLength(), WireLimits.REQUEST.maxDepth()));
        KojiDispatcher dispatcher = new KojiDispatcher(services.registry(), services.interceptor(),
                config.limits().multicallMaxCalls(), config.limits().maxAnswerBytes(), codec::measureResponse);
        KojiHubHandler hub = new KojiHubHandler("/kojihub", HubConfig.KOJI_VERSION, codec, dispatcher, services.uploads);
        // one address gets a few threads at a time (its other requests wait without holding one); /health is outside
        org.eclipse.jetty.server.handler.ThreadLimitHandler perAddress = new org.eclipse.jetty.server.handler.ThreadLimitHandler();
        perAddress.setThreadLimit(config.limits().maxThreadsPerAddress());
        perAddress.setHandler(new Handler.Sequence(hub, new org.fedorabuild.hub.coprapi.CoprApiHandler(services),
                new org.fedorabuild.hub.coprapi.DnfRepoHandler(services), services.retention.metrics, resultsHandler(services),
                taskFilesHandler(services), packagesHandler(services),
                org.fedorabuild.hub.web.Web.handler(services)));
        server.setHandler(new Handler.Sequence(new HealthHandler(services.db), perAddress));
        server.setStopTimeout(5000);
        server.start();
        HubServer s = new HubServer(server, http, https);
        LOG.info("Hub - listening on http://{}:{}/kojihub{}", config.listen().host(), s.port(),
                https == null ? "" : " and https://" + config.tlsListen().host() + ":" + s.tlsPort() + "/kojihub");
        return s;
    }

    private static void limit(ServerConnector connector, HubConfig config) {
        connector.setIdleTimeout(config.limits().idleTimeout().toMillis());
        connector.addEventListener(new AddressLimit(config.limits().maxConnectionsPerAddress()));
    }

    /** {@code /results/OWNER/PROJECT/CHROOT/…}: build results, dnf repositories and .repo files, read-only. */
    private static Handler resultsHandler(HubServices services) {
        java.nio.file.Path root = services.results.storageRoot();
        return new FilesHandler("/results/", root, rel -> root.resolve(rel));
    }

    /** {@code /kojifiles/work/tasks/…}: task outputs, where koji download-task looks (topurl = …/kojifiles). */
    private static Handler taskFilesHandler(HubServices services) {
        java.nio.file.Path root = services.outputs.workDir().resolve("tasks");
        return new FilesHandler("/kojifiles/work/tasks/", root, rel -> root.resolve(rel));
    }

    /** {@code /kojifiles/packages/…} and {@code /kojifiles/vol/OWNER/PROJECT/packages/…}: see {@link PackageFiles}. */
    private static Handler packagesHandler(HubServices services) {
        java.nio.file.Path root = services.results.storageRoot();
        PackageFiles files = new PackageFiles(services.db, root);
        return new Handler.Sequence(new FilesHandler("/kojifiles/packages/", root, files::packages),
                new FilesHandler("/kojifiles/vol/", root, files::volume));
    }

    public int port() {
        return http.getLocalPort();
    }

    /** The HTTPS port, or -1 without TLS. */
    public int tlsPort() {
        return https == null ? -1 : https.getLocalPort();
    }

    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() {
        try {
            server.stop();
            LOG.info("Hub - stopped");
        } catch (Exception e) {
            LOG.warn("Hub - Jetty did not stop cleanly: {}", e.toString());
        }
    }
}

package org.fedorabuild.hub.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.upload.FastUpload;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.builder.Dispatcher;
import org.fedorabuild.hub.namespace.CoprName;

/**
 * A real copr-hub that builds: {@link TestHub} with a data directory, a fast dispatcher, and optionally the
 * local builder (as {@code serve --local-builder N}). Clients talk to it over real HTTP with the compat
 * KojiClient and FastUpload, as the koji CLI does.
 */
public final class BuildHub implements AutoCloseable {
    public final TestHub hub;
    public final Path data;
    public final Dispatcher dispatcher;
    private final HttpClient http = HttpClient.newHttpClient();

    private BuildHub(TestHub hub, Path data, Dispatcher dispatcher) {
        this.hub = hub;
        this.data = data;
        this.dispatcher = dispatcher;
    }

    /** The machine's arch as rpm names it. */
    public static String arch() {
        String a = System.getProperty("os.arch");
        return a.equals("amd64") ? "x86_64" : a;
    }

    public static BuildHub start(DataSource ds, Path data, String extraIni, int localCapacity) {
        return start(ds, "127.0.0.1:0", data, extraIni, localCapacity);
    }

    /** On a given listen address (a fixed port gives a PublicURL that clients can follow). */
    public static BuildHub start(DataSource ds, String listen, Path data, String extraIni, int localCapacity) {
        TestHub hub = TestHub.start(ds, listen, "DataDir = " + data + "\nDispatchInterval = 0.2\nHostCheckInterval = 0.5\n"
                + "SCMSchemes = git+file git+https\nBuildTimeout = 300\n" + extraIni);
        Integer local = null;
        if (localCapacity > 0) {
            local = hub.services.db.tx(() -> hub.services.hosts.registerLocal("local", List.of(arch(), "noarch"), localCapacity,
                    "rpmbuild"));
        }
        return new BuildHub(hub, data, hub.services.startBuilds(local));
    }

    /** A user (admin or not) with a fresh API token. */
    public String user(String name, boolean admin) {
        return hub.services.db.tx(() -> {
            int id = hub.services.users.byName(name).map(u -> (Integer) u.get("id"))
                    .orElseGet(() -> hub.services.users.create(name, Users.NORMAL));
            if (admin) {
                hub.services.users.grant(id, "admin");
            }
            return hub.services.tokens.create(id, null);
        });
    }

    public void project(String name, String... chroots) {
        hub.services.db.tx(() -> hub.services.projects.create(CoprName.parse(name), List.of(chroots), null));
    }

    public KojiClient login(String user, String token) {
        KojiClient k = hub.client();
        k.login(user, token);
        return k;
    }

    /** Uploads the SRPM as the CLI does (cli-build/<time>.<random>/) and calls build(); returns the task id. */
    public int build(KojiClient k, Path srpm, String target, Map<String, Object> opts) throws IOException {
        FastUpload.Result up = FastUpload.upload(k, srpm, FastUpload.uniqueDir("cli-build"), srpm.getFileName().toString(),
                FastUpload.DEFAULT_BLOCK_SIZE);
        return ((Number) k.call("build", up.serverPath(), target, opts)).intValue();
    }

    /** Polls getTaskInfo until the task ends; returns its final struct. */
    public Map<?, ?> await(KojiClient k, int task, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            Map<?, ?> t = (Map<?, ?>) k.call("getTaskInfo", task);
            int state = ((Number) t.get("state")).intValue();
            if (state == 2 || state == 3 || state == 5) {
                return t;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("task " + task + " still in state " + state + " after " + limit.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + hub.server.port();
    }

    public HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The packages a dnf client sees in a chroot repository: name-version-release.arch, from primary.xml over HTTP. */
    public List<String> repoPackages(String project, String chroot) throws IOException, InterruptedException {
        return new RepoReader(baseUrl()).packages(project, chroot);
    }

    /** Waits until the chroot repository lists {@code nvra} (publication follows the task's close). */
    public List<String> awaitInRepo(String project, String chroot, String nvra) throws IOException, InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<String> pkgs = repoPackages(project, chroot);
            if (pkgs.contains(nvra) || System.nanoTime() > end) {
                return pkgs;
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        hub.close();
    }
}

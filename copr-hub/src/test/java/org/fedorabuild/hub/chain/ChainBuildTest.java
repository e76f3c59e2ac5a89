package org.fedorabuild.hub.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.upload.FastUpload;
import org.fedorabuild.hub.testing.BuildHub;
import org.fedorabuild.hub.testing.TinyPackages;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chain builds of real tiny SRPMs on the local builder (rpmbuild backend, so BuildRequires are checked
 * against the project's published RPMs in a private rpm database), over real HTTP with the compat client.
 */
class ChainBuildTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path tmp;
    static BuildHub hub;
    static String token;
    static final String CHROOT = "fedora-40-" + BuildHub.arch();

    @BeforeAll
    static void start() {
        hub = BuildHub.start(PG.dataSource(), tmp.resolve("data"), "", 2);
        token = hub.user("carol", false);
        for (String p : List.of("carol/chain", "carol/cycles", "carol/retry", "carol/missing", "carol/levels")) {
            hub.project(p, CHROOT);
        }
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    static String upload(KojiClient k, Path srpm) throws IOException {
        return FastUpload.upload(k, srpm, FastUpload.uniqueDir("cli-build"), srpm.getFileName().toString(),
                FastUpload.DEFAULT_BLOCK_SIZE).serverPath();
    }

    static Path srpm(String name, String version, List<String> buildRequires, List<String> provides) throws Exception {
        return TinyPackages.srpm(tmp, name, TinyPackages.spec(name, version, 0, buildRequires, provides));
    }

    static Map<?, ?> awaitChain(KojiClient k, int chain) throws Exception {
        hub.await(k, chain, Duration.ofMinutes(2));
        return (Map<?, ?>) k.call("coprChainStatus", chain);
    }

    static List<Map<String, Object>> members(int chain) {
        return hub.hub.services.db.query("SELECT source, nvr, state, reason, attempts FROM chain_members WHERE chain_id = ?"
                + " ORDER BY idx", chain);
    }

    static long buildArchTasks(int chain) {
        return (Long) hub.hub.services.db.scalar("SELECT count(*) FROM tasks a JOIN tasks b ON b.id = a.parent"
                + " WHERE b.parent = ? AND a.method = 'buildArch'", chain).orElseThrow();
    }

    @Test
    void srpmsSubmittedInReverseOrderBuildInDependencyOrderWithOneAttemptEach() throws Exception {
        // base provides a virtual capability; lib needs it versioned; tool needs lib by versioned name; app needs both
        Path base = srpm("ch-base", "1.0", List.of(), List.of("ch(base) = 1.0"));
        Path lib = srpm("ch-lib", "2.0", List.of("ch(base) >= 1.0"), List.of());
        Path tool = srpm("ch-tool", "3.0", List.of("ch-lib >= 2.0-1"), List.of("ch-tool-api"));
        Path app = srpm("ch-app", "1.0", List.of("ch-tool-api", "ch(base)"), List.of());
        try (KojiClient k = hub.login("carol", token)) {
            List<Object> srcs = new ArrayList<>();
            for (Path p : List.of(app, tool, lib, base)) {
                srcs.add(upload(k, p));
            }
            int chain = ((Number) k.call("coprChainBuild", srcs, "carol/chain", Map.of())).intValue();
            Map<?, ?> status = awaitChain(k, chain);
            assertEquals("DONE", status.get("state"), ChainStatus.text(status));
            assertEquals(4, num(((Map<?, ?>) status.get("counts")).get("BUILT")));
            assertEquals(4, num(status.get("attempts")), "one build attempt per package");
            assertEquals(4L, buildArchTasks(chain), "no failed or repeated builds");
            Map<?, ?> task = (Map<?, ?>) k.call("getTaskInfo", chain, true);
            assertEquals("coprchainbuild", task.get("method"));
            assertEquals(2L, task.get("state"));
            Map<?, ?> result = (Map<?, ?>) k.call("getTaskResult", chain);
            assertEquals("DONE", result.get("state"), "the summary is the chain task's result");
            // the order really was base → lib → tool → app: each build started after its dependency was published
            var order = hub.hub.services.db.query("SELECT m.nvr, t.create_time FROM chain_members m JOIN tasks t"
                    + " ON t.id = m.build_task_id WHERE m.chain_id = ? ORDER BY t.id", chain);
            assertEquals(List.of("ch-base-1.0-1", "ch-lib-2.0-1", "ch-tool-3.0-1", "ch-app-1.0-1"),
                    order.stream().map(r -> r.get("nvr")).toList());
            assertTrue(hub.awaitInRepo("carol/chain", CHROOT, "ch-app-1.0-1.fc40.noarch").contains("ch-app-1.0-1.fc40.noarch"));
            List<?> children = (List<?>) k.call("getTaskChildren", chain);
            assertEquals("readSrpmDeps", ((Map<?, ?>) children.get(0)).get("method"), "dependencies read on a builder");
            String log = java.nio.file.Files.readString(hub.hub.services.outputs.dir(chain).resolve("chain.log"));
            assertTrue(log.contains("order: build times known from past builds for 0 of 4 package(s)"), log);
        }
    }

    @Test
    void cycleIsReportedByNameAndItsDependantsSkipped() throws Exception {
        Path a = srpm("cy-a", "1.0", List.of("cy-b"), List.of());
        Path b = srpm("cy-b", "1.0", List.of("cy-a"), List.of());
        Path c = srpm("cy-c", "1.0", List.of("cy-a"), List.of());
        Path d = srpm("cy-d", "1.0", List.of(), List.of());
        try (KojiClient k = hub.login("carol", token)) {
            List<Object> srcs = new ArrayList<>();
            for (Path p : List.of(a, b, c, d)) {
                srcs.add(upload(k, p));
            }
            int chain = ((Number) k.call("coprChainBuild", srcs, "carol/cycles", Map.of("cycles", "fail"))).intValue();
            Map<?, ?> status = awaitChain(k, chain);
            assertEquals("FAILED", status.get("state"));
            String text = ChainStatus.text(status);
            assertTrue(text.contains("failed: cy-a-1.0-1: dependency cycle: cy-a-1.0-1 <-> cy-b-1.0-1"), text);
            assertTrue(text.contains("skipped: cy-c-1.0-1: not built: it needs cy-a-1.0-1, which failed"), text);
            assertEquals(1, num(((Map<?, ?>) status.get("counts")).get("BUILT")), "cy-d is independent and built");
            assertEquals(1L, buildArchTasks(chain), "no build of a cycle member was attempted");
            String fault = assertFault(k, chain);
            assertTrue(fault.contains("dependency cycle: cy-a-1.0-1 <-> cy-b-1.0-1"), fault);
        }
    }

    @Test
    void retryPolicyIsBoundedAndConfinedToTheCycle() throws Exception {
        Path a = srpm("rt-a", "1.0", List.of("rt-b"), List.of());
        Path b = srpm("rt-b", "1.0", List.of("rt-a"), List.of());
        try (KojiClient k = hub.login("carol", token)) {
            int chain = ((Number) k.call("coprChainBuild", List.of(upload(k, a), upload(k, b)), "carol/retry",
                    Map.of("cycles", "retry", "cycle_attempts", 3))).intValue();
            Map<?, ?> status = awaitChain(k, chain);
            assertEquals("FAILED", status.get("state"));
            for (var m : members(chain)) {
                assertTrue((Integer) m.get("attempts") >= 1 && (Integer) m.get("attempts") <= 3, m.toString());
                assertTrue(((String) m.get("reason")).contains("rt-a-1.0-1 <-> rt-b-1.0-1"), m.toString());
            }
            assertTrue(ChainStatus.text(status).contains("made no progress"), ChainStatus.text(status));
        }
    }

    @Test
    void missingDependencyFailsNamingIt() throws Exception {
        Path app = srpm("mi-app", "1.0", List.of("mi-nowhere >= 1"), List.of());
        Path other = srpm("mi-other", "1.0", List.of("mi-app"), List.of());
        try (KojiClient k = hub.login("carol", token)) {
            int chain = ((Number) k.call("coprChainBuild", List.of(upload(k, other), upload(k, app)), "carol/missing",
                    Map.of())).intValue();
            Map<?, ?> status = awaitChain(k, chain);
            String text = ChainStatus.text(status);
            assertEquals("FAILED", status.get("state"), text);
            assertTrue(text.contains("mi-nowhere >= 1 is needed by mi-app"), text);
            assertTrue(text.contains("skipped: mi-other-1.0-1: not built: it needs mi-app-1.0-1, which failed"), text);
        }
    }

    @Test
    void kojiChainBuildAsFedpkgSendsItBuildsLevelsInOrder() throws Exception {
        String dep = gitPackage("lv-dep", List.of(), List.of("lv(dep) = 1"));
        String top = gitPackage("lv-top", List.of("lv(dep)"), List.of());
        try (KojiClient k = hub.login("carol", token)) {
            Map<String, Object> kw = new HashMap<>();
            kw.put("priority", null);
            // fedpkg: chainBuild(chain, target, {}, priority=None) with opts positional
            int chain = ((Number) k.callKw("chainBuild", List.of(List.of(List.of(dep), List.of(top)), "carol/levels", Map.of()),
                    kw)).intValue();
            Map<?, ?> status = awaitChain(k, chain);
            assertEquals("DONE", status.get("state"), ChainStatus.text(status));
            Map<?, ?> task = (Map<?, ?>) k.call("getTaskInfo", chain);
            assertEquals("chainbuild", task.get("method"));
            List<?> children = (List<?>) k.call("getTaskChildren", chain);
            assertEquals(List.of("build 0,0", "build 1,0"), children.stream().map(c -> ((Map<?, ?>) c).get("label")).toList());
            int second = ((Number) ((Map<?, ?>) children.get(1)).get("id")).intValue();
            List<?> grand = (List<?>) k.call("getTaskChildren", second);
            assertEquals(List.of("buildSRPMFromSCM", "buildArch"), grand.stream().map(c -> ((Map<?, ?>) c).get("method")).toList());
            assertEquals(2, num(status.get("attempts")));
        }
    }

    static String gitPackage(String name, List<String> buildRequires, List<String> provides) throws Exception {
        Path repo = tmp.resolve("git/rpms/" + name + ".git");
        Files.createDirectories(repo);
        Files.writeString(repo.resolve(name + ".spec"), TinyPackages.spec(name, "1.0", 0, buildRequires, provides));
        TinyPackages.git(repo, "init", "-q");
        TinyPackages.git(repo, "add", ".");
        TinyPackages.git(repo, "commit", "-q", "-m", name);
        return "git+file://" + repo + "?#" + TinyPackages.git(repo, "rev-parse", "HEAD");
    }

    static int num(Object o) {
        return ((Number) o).intValue();
    }

    static String assertFault(KojiClient k, int task) {
        try {
            k.call("getTaskResult", task);
        } catch (org.fedorabuild.compat.fault.KojiFault f) {
            assertEquals(1005, f.code());
            return f.getMessage();
        }
        throw new AssertionError("task " + task + " has no fault");
    }
}

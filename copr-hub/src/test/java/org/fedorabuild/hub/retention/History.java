package org.fedorabuild.hub.retention;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.builder.BuildBackend;
import org.fedorabuild.hub.builder.BuildExecution;
import org.fedorabuild.hub.builder.LocalTransport;
import org.fedorabuild.hub.namespace.CoprName;
import org.fedorabuild.hub.repo.Results;
import org.fedorabuild.hub.server.HubServices;
import org.fedorabuild.hub.task.TaskPayloads;
import org.fedorabuild.hub.testing.TinyPackages;

/**
 * A seeded build history: real tiny RPMs built once with rpmbuild, recorded as many builds (rows as the
 * hub writes them, files in the results tree and task outputs) with chosen completion times, plus failed
 * and scratch build tasks with their logs.
 */
final class History {
    static final String CHROOT = "fedora-40-x86_64";

    private final HubServices s;
    private final Path tmp;
    private final Map<String, List<Path>> built = new HashMap<>();

    History(HubServices services, Path tmp) {
        this.s = services;
        this.tmp = tmp;
    }

    /** The RPMs (binary and source) of {@code name-version}, built once. */
    List<Path> rpms(String name, String version) throws Exception {
        String key = name + "-" + version;
        if (!built.containsKey(key)) {
            Path srpm = TinyPackages.srpm(tmp, key, TinyPackages.spec(name, version, 0, List.of(), List.of()));
            Path out = tmp.resolve("built").resolve(key);
            org.fedorabuild.hub.testing.TestSandbox.setUp();
            try (LocalTransport t = new LocalTransport(tmp.resolve("builder"))) {
                var o = new BuildExecution(t, BuildBackend.RPMBUILD).run(new BuildExecution.Job(key.hashCode() & 0xffff, CHROOT, srpm,
                        Duration.ofMinutes(2)), out, OutputStream.nullOutputStream());
                built.put(key, o.files().stream().filter(f -> f.toString().endsWith(".rpm")).toList());
            }
        }
        return built.get(key);
    }

    int owner(String project) {
        return s.db.tx(() -> (Integer) s.users.byName(CoprName.parse(project).owner()).orElseThrow().get("id"));
    }

    void project(String name) {
        s.db.tx(() -> s.projects.create(CoprName.parse(name), List.of(CHROOT), null));
    }

    int chrootTag(String project) {
        return (Integer) s.db.scalar("SELECT id FROM tags WHERE name = ?", CoprName.parse(project).chrootTagName(CHROOT)).orElseThrow();
    }

    private int task(String project, Integer parent, String method, int state, List<Object> request, Duration ago) {
        int projectId = s.projects.find(CoprName.parse(project)).orElseThrow().id();
        return s.db.insert("INSERT INTO tasks (state, channel_id, owner, method, request, project_id, parent, label, arch,"
                + " create_time, start_time, completion_time) VALUES (?, 1, ?, ?, ?, ?, ?, ?, 'noarch', now() - make_interval(secs => ?),"
                + " now() - make_interval(secs => ?), CASE WHEN ? IN (2, 3, 5) THEN now() - make_interval(secs => ?) END) RETURNING id",
                state, owner(project), method, TaskPayloads.encodeRequest(method, request, Map.of()), projectId, parent,
                parent == null ? null : "noarch", (double) ago.toSeconds() + 60, (double) ago.toSeconds() + 30, state,
                (double) ago.toSeconds());
    }

    /** A COMPLETE, published build of name-version in the project, completed {@code ago}; returns its build id. */
    int build(String project, String name, String version, Duration ago, int parentState) throws Exception {
        CoprName copr = CoprName.parse(project);
        List<Path> files = rpms(name, version);
        return s.db.tx(() -> {
            int projectId = s.projects.find(copr).orElseThrow().id();
            int chrootId = (Integer) s.db.scalar("SELECT id FROM project_chroots WHERE project_id = ? AND name = ?", projectId, CHROOT)
                    .orElseThrow();
            String srpm = "tasks/x/" + name + "-" + version + "-1.src.rpm";
            int parent = task(project, null, "build", parentState, List.of(srpm, project, Map.of()), ago);
            int child = task(project, parent, "buildArch", 2, List.of(srpm, chrootTag(project), "noarch", false, Map.of()), ago);
            s.db.update("INSERT INTO packages (name) VALUES (?) ON CONFLICT DO NOTHING", name);
            int pkg = (Integer) s.db.scalar("SELECT id FROM packages WHERE name = ?", name).orElseThrow();
            int build = s.db.insert("INSERT INTO builds (package_id, version, release, state, task_id, owner_id, project_id, chroot_id,"
                    + " arch_task_id, start_time, completion_time) VALUES (?, ?, '1.fc40', 1, ?, ?, ?, ?, ?, now() - make_interval(secs => ?),"
                    + " now() - make_interval(secs => ?)) RETURNING id", pkg, version, parent, owner(project), projectId, chrootId, child,
                    (double) ago.toSeconds() + 30, (double) ago.toSeconds());
            String dir = Results.buildDir(copr.owner(), copr.project(), CHROOT, build, name);
            Path buildDir = s.results.storageRoot().resolve(dir);
            Path taskDir = s.outputs.dir(child);
            Files.createDirectories(buildDir);
            Files.createDirectories(taskDir);
            for (Path f : files) {
                Files.copy(f, buildDir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                Files.copy(f, taskDir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                String n = f.getFileName().toString();
                String arch = n.endsWith(".src.rpm") ? "src" : "noarch";
                s.db.update("INSERT INTO rpms (build_id, chroot_id, name, version, release, arch, size, path) VALUES (?, ?, ?, ?, '1.fc40', ?, ?, ?)",
                        build, chrootId, name, version, arch, Files.size(f), dir + "/" + n);
            }
            Files.writeString(taskDir.resolve("build.log"), "build log of " + name + "-" + version + "\n".repeat(200));
            s.db.update("INSERT INTO build_results (task_id, build_id, chroot_id, dir, published, published_time) VALUES (?, ?, ?, ?, true, now())",
                    child, build, chrootId, dir);
            int projectTag = s.projects.find(copr).orElseThrow().tagId();
            s.db.update("INSERT INTO tag_listing (tag_id, build_id) VALUES (?, ?), (?, ?)", projectTag, build, chrootTag(project), build);
            return build;
        });
    }

    /** A buildArch task that ended {@code ago} in {@code state} (5 failed, 2 closed without a build = scratch); returns its id. */
    int task(String project, String nvr, int state, Duration ago, boolean withRpm) throws Exception {
        return s.db.tx(() -> {
            String srpm = "cli-build/x/" + nvr + ".src.rpm";
            int parent = task(project, null, "build", state, List.of(srpm, project, Map.of("scratch", state == 2)), ago);
            int child = task(project, parent, "buildArch", state, List.of(srpm, chrootTag(project), "noarch", false, Map.of()), ago);
            Path dir = s.outputs.dir(child);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("build.log"), "log of " + nvr + "\n");
            if (withRpm) {
                Files.copy(rpms("tiny-a", "1.1").get(0), dir.resolve(nvr + ".noarch.rpm"));
            }
            return child;
        });
    }

    void publish(String project) throws Exception {
        s.publisher.regenerate(s.results.storageRoot().resolve(project).resolve(CHROOT));
    }
}

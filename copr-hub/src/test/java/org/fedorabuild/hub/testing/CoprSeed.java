package org.fedorabuild.hub.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.namespace.CoprName;
import org.fedorabuild.hub.repo.Results;
import org.fedorabuild.hub.server.HubServices;
import org.fedorabuild.hub.task.TaskPayloads;

/**
 * A finished Copr build as the hub records one, without running it: a CLOSED {@code build} parent, one CLOSED
 * {@code buildArch} per chroot with its Koji build, RPM rows and a published results folder holding the files.
 */
public final class CoprSeed {
    private CoprSeed() {
    }

    /** Returns the Copr build id (the parent task id). */
    public static int succeededBuild(HubServices s, String project, String name, String version, String release) throws Exception {
        CoprName copr = CoprName.parse(project);
        return s.db.tx(() -> {
            var p = s.projects.find(copr).orElseThrow();
            int owner = (Integer) s.db.scalar("SELECT owner_id FROM projects WHERE id = ?", p.id()).orElseThrow();
            String srpm = "copr-api/seed/" + name + "-" + version + "-" + release + ".src.rpm";
            int parent = task(s, owner, p.id(), null, null, "build", List.of(srpm, project, Map.of()));
            s.db.update("INSERT INTO packages (name) VALUES (?) ON CONFLICT DO NOTHING", name);
            int pkg = (Integer) s.db.scalar("SELECT id FROM packages WHERE name = ?", name).orElseThrow();
            s.db.update("INSERT INTO tag_packages (tag_id, package_id, owner_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", p.tagId(), pkg, owner);
            for (var c : s.db.query("SELECT pc.id, pc.name, pc.arch, t.id AS tag FROM project_chroots pc JOIN tags t ON t.chroot_id = pc.id"
                    + " WHERE pc.project_id = ? AND pc.enabled ORDER BY pc.name", p.id())) {
                int child = task(s, owner, p.id(), parent, (String) c.get("name"), "buildArch", List.of(srpm, c.get("tag"), c.get("arch"), true, Map.of()));
                String rel = release + ".fc40";
                int build = s.db.insert("INSERT INTO builds (package_id, version, release, state, task_id, owner_id, project_id, chroot_id,"
                        + " arch_task_id, start_time, completion_time) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, now(), now()) RETURNING id",
                        pkg, version, rel, parent, owner, p.id(), c.get("id"), child);
                String dir = Results.buildDir(copr.owner(), copr.project(), (String) c.get("name"), parent, name);
                Path buildDir = s.results.storageRoot().resolve(dir);
                Files.createDirectories(buildDir);
                for (String arch : List.of("src", (String) c.get("arch"))) {
                    String file = name + "-" + version + "-" + rel + "." + arch + ".rpm";
                    Files.writeString(buildDir.resolve(file), "not really an rpm: " + file + "\n");
                    s.db.update("INSERT INTO rpms (build_id, chroot_id, name, version, release, arch, size, path) VALUES (?, ?, ?, ?, ?, ?, 1, ?)",
                            build, c.get("id"), name, version, rel, arch, dir + "/" + file);
                }
                Files.writeString(buildDir.resolve("build.log.gz"), "log");
                s.db.update("INSERT INTO build_results (task_id, build_id, chroot_id, dir, published, published_time) VALUES (?, ?, ?, ?, true, now())",
                        child, build, c.get("id"), dir);
                s.db.update("INSERT INTO tag_listing (tag_id, build_id) VALUES (?, ?), (?, ?)", p.tagId(), build, c.get("tag"), build);
            }
            return parent;
        });
    }

    private static int task(HubServices s, int owner, int projectId, Integer parent, String label, String method, List<Object> request) {
        return s.db.insert("INSERT INTO tasks (state, channel_id, owner, method, request, project_id, parent, label, arch, start_time,"
                + " completion_time) VALUES (2, 1, ?, ?, ?, ?, ?, ?, 'noarch', now(), now()) RETURNING id", owner, method,
                TaskPayloads.encodeRequest(method, request, Map.of()), projectId, parent, label);
    }
}

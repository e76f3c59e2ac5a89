package org.fedorabuild.hub.testing;

import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.namespace.CoprName;
import org.fedorabuild.hub.namespace.Projects;
import org.fedorabuild.hub.server.HubServices;
import org.fedorabuild.hub.task.TaskPayloads;

/**
 * Hub data equivalent to the state the koji-wire captures were recorded against: users kojiadmin
 * (admin, id 1) and kojiuser (id 2); hosts builder1 (x86_64 i686, channels default+createrepo,
 * checked in), builder2 (x86_64 aarch64), builder3 (x86_64, disabled); project kojiadmin/f40 (its
 * target stands in for f40-candidate) holding build bash-5.2.26-1.fc40; task 1 (sleep, OPEN on
 * builder1) and task 2 (sleep, FREE). Ids match the captures' on a fresh database.
 */
public final class Seed {
    public static final String PROJECT = "kojiadmin/f40";
    public static final String CHROOT_TARGET = "kojiadmin/f40/fedora-40-x86_64";

    public final String adminToken;
    public final String userToken;
    public final Projects.Project project;

    private Seed(String adminToken, String userToken, Projects.Project project) {
        this.adminToken = adminToken;
        this.userToken = userToken;
        this.project = project;
    }

    public static Seed captureState(HubServices s) {
        return s.db.tx(() -> {
            int admin = s.users.create("kojiadmin", Users.NORMAL);
            s.users.grant(admin, "admin");
            int user = s.users.create("kojiuser", Users.NORMAL);
            String adminToken = s.tokens.create(admin, null);
            String userToken = s.tokens.create(user, null);
            int b1 = s.hosts.add("builder1", List.of("x86_64", "i686"), 2.0, "root@127.0.0.1:22");
            s.hosts.add("builder2", List.of("x86_64", "aarch64"), 2.0, null);
            int b3 = s.hosts.add("builder3", List.of("x86_64"), 2.0, null);
            s.hosts.setEnabled(b3, false);
            s.db.update("INSERT INTO host_channels (host_id, channel_id) SELECT ?, id FROM channels WHERE name = 'createrepo'", b1);
            s.db.update("UPDATE hosts SET task_load = 1.0, update_time = now() WHERE id = ?", b1);
            // builder1's kojid session, whose activity getLastHostUpdate reports.
            s.sessions.create((Integer) s.users.byName("builder1").orElseThrow().get("id"), 2, "127.0.0.1", null);
            Projects.Project p = s.projects.create(CoprName.parse(PROJECT), List.of("fedora-40-x86_64"), null);
            int t1 = s.tasks.create(admin, "sleep", "noarch", 20, TaskPayloads.encodeRequest("sleep", List.of(600), Map.of()),
                    null, null, null);
            s.db.update("UPDATE tasks SET state = 1, host_id = ?, start_time = now() WHERE id = ?", b1, t1);
            s.tasks.create(admin, "sleep", "noarch", 20, TaskPayloads.encodeRequest("sleep", List.of(600), Map.of()), null, null, null);
            int pkg = s.db.insert("INSERT INTO packages (name) VALUES ('bash') RETURNING id");
            s.db.update("INSERT INTO tag_packages (tag_id, package_id, owner_id) VALUES (?, ?, ?)", p.tagId(), pkg, admin);
            int build = s.db.insert("INSERT INTO builds (package_id, version, release, state, owner_id, project_id, start_time,"
                    + " completion_time) VALUES (?, '5.2.26', '1.fc40', 1, ?, ?, now(), now()) RETURNING id", pkg, admin, p.id());
            s.db.update("INSERT INTO tag_listing (tag_id, build_id, creator_id) VALUES (?, ?, ?)", p.tagId(), build, admin);
            s.db.update("INSERT INTO rpms (build_id, name, version, release, arch, size) VALUES (?, 'bash', '5.2.26', '1.fc40', 'x86_64', 1000)",
                    build);
            return new Seed(adminToken, userToken, p);
        });
    }
}

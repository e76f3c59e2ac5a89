package org.fedorabuild.hub.bench;

import java.util.List;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.namespace.CoprName;
import org.fedorabuild.hub.server.HubServices;

/**
 * A large history for the page benchmark, written by SQL {@code generate_series} (seconds, not hours):
 * project {@code alice/big} with {@code builds} Copr builds (a {@code build} task and three {@code buildArch}
 * children each, one Koji build and two RPMs per Copr build), and project {@code bob/other} with the tasks
 * needed to reach {@code tasks} in all. 1000 packages; 1 % of the chroot tasks failed.
 */
final class WebSeed {
    static final List<String> CHROOTS = List.of("fedora-40-x86_64", "fedora-41-x86_64", "epel-9-x86_64");

    private WebSeed() {
    }

    static void seed(HubServices s, int builds, int tasks) {
        Db db = s.db;
        db.tx(() -> {
            int alice = s.users.create("alice", org.fedorabuild.hub.auth.Users.NORMAL);
            int bob = s.users.create("bob", org.fedorabuild.hub.auth.Users.NORMAL);
            s.projects.create(CoprName.parse("alice/big"), CHROOTS, "a project with a long history");
            s.projects.create(CoprName.parse("bob/other"), CHROOTS, "the rest of the hub");
            int big = (Integer) db.scalar("SELECT p.id FROM projects p WHERE p.name = 'big'").orElseThrow();
            int other = (Integer) db.scalar("SELECT p.id FROM projects p WHERE p.name = 'other'").orElseThrow();
            int hostUser = s.users.create("builder-1", org.fedorabuild.hub.auth.Users.HOST);
            db.update("INSERT INTO hosts (id, user_id, name, arches, ready, update_time) VALUES (1, ?, 'builder-1', 'x86_64 noarch', true, now())",
                    hostUser);
            db.update("INSERT INTO packages (name) SELECT 'pkg-' || lpad(g::text, 4, '0') FROM generate_series(1, 1000) g");
            seedProject(db, 0, builds, big, alice, "alice/big");
            int otherBuilds = Math.max(0, (tasks - builds * 4) / 4);
            seedProject(db, builds * 4, otherBuilds, other, bob, "bob/other");
            // Koji builds: one per Copr build of alice/big, in its first chroot
            int chroot = (Integer) db.scalar("SELECT id FROM project_chroots WHERE project_id = ? ORDER BY name LIMIT 1", big).orElseThrow();
            db.update("INSERT INTO builds (id, package_id, version, release, state, task_id, owner_id, project_id, chroot_id, arch_task_id,"
                    + " source, creation_time, start_time, completion_time)"
                    + " SELECT g, (SELECT id FROM packages WHERE name = 'pkg-' || lpad((g % 1000 + 1)::text, 4, '0')), '1.0', g || '.fc40', 1,"
                    + " (g - 1) * 4 + 1, ?, ?, ?, (g - 1) * 4 + 2, 'cli-build/x/p.src.rpm', now() - (? - g) * interval '1 minute',"
                    + " now() - (? - g) * interval '1 minute', now() - (? - g) * interval '1 minute' + interval '40 seconds'"
                    + " FROM generate_series(1, ?) g", alice, big, chroot, builds, builds, builds, builds);
            db.update("INSERT INTO rpms (build_id, chroot_id, name, version, release, arch, size, path)"
                    + " SELECT b.id, b.chroot_id, pk.name || suffix, b.version, b.release, 'noarch', 12345,"
                    + " 'alice/big/fedora-40-x86_64/' || lpad(b.id::text, 8, '0') || '-' || pk.name || '/' || pk.name || suffix || '-'"
                    + " || b.version || '-' || b.release || '.noarch.rpm' FROM builds b JOIN packages pk ON pk.id = b.package_id"
                    + " CROSS JOIN (VALUES (''), ('-doc')) v(suffix)");
            db.scalar("SELECT setval('tasks_id_seq', (SELECT max(id) FROM tasks))");
            db.scalar("SELECT setval('builds_id_seq', (SELECT max(id) FROM builds))");
            return null;
        });
        db.update("ANALYZE");
    }

    /** {@code n} Copr builds with ids from {@code base + 1}: build task at base + 4k + 1, its chroot tasks after it. */
    private static void seedProject(Db db, int base, int n, int project, int owner, String target) {
        String buildReq = "'<?xml version=\"1.0\" encoding=\"UTF-8\"?><methodCall><methodName>build</methodName><params><param><value>"
                + "cli-build/1.5.x/pkg-' || lpad((g % 1000 + 1)::text, 4, '0') || '-1.0-' || g || '.src.rpm</value></param><param><value>"
                + target + "</value></param><param><value><struct/></value></param></params></methodCall>'";
        db.update("INSERT INTO tasks (id, state, create_time, start_time, completion_time, channel_id, host_id, owner, method, arch,"
                + " request, project_id) SELECT ? + (g - 1) * 4 + 1, 2, now() - (? - g) * interval '1 minute',"
                + " now() - (? - g) * interval '1 minute', now() - (? - g) * interval '1 minute' + interval '40 seconds', 1, NULL, ?,"
                + " 'build', 'noarch', " + buildReq + ", ? FROM generate_series(1, ?) g", base, n, n, n, owner, project, n);
        String archReq = "'<?xml version=\"1.0\" encoding=\"UTF-8\"?><methodCall><methodName>buildArch</methodName><params><param><value>"
                + "tasks/1/1/pkg-' || lpad((g % 1000 + 1)::text, 4, '0') || '-1.0-' || g || '.src.rpm</value></param><param><value><int>1"
                + "</int></value></param><param><value>x86_64</value></param><param><value><boolean>1</boolean></value></param><param>"
                + "<value><struct/></value></param></params></methodCall>'";
        db.update("INSERT INTO tasks (id, state, create_time, start_time, completion_time, channel_id, host_id, parent, label, owner,"
                + " method, arch, request, project_id) SELECT ? + (g - 1) * 4 + 1 + c, CASE WHEN g % 100 = 0 AND c = 3 THEN 5 ELSE 2 END,"
                + " now() - (? - g) * interval '1 minute', now() - (? - g) * interval '1 minute',"
                + " now() - (? - g) * interval '1 minute' + interval '40 seconds', 1, 1, ? + (g - 1) * 4 + 1,"
                + " (ARRAY['fedora-40-x86_64', 'fedora-41-x86_64', 'epel-9-x86_64'])[c], ?, 'buildArch', 'x86_64', " + archReq + ", ?"
                + " FROM generate_series(1, ?) g CROSS JOIN generate_series(1, 3) c", base, n, n, n, base, owner, project, n);
    }
}

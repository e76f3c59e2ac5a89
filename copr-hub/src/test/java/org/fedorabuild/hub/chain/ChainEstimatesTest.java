package org.fedorabuild.hub.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.task.Tasks;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Expected build times and publication lag from the hub's own build history, on a real database. */
class ChainEstimatesTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");

    @Test
    void medianOfTheLastFiveSuccessfulBuildsPerPackageAndTheMedianPublicationLag() {
        Db db = new Db(PG.dataSource());
        Tasks tasks = new Tasks(db);
        assertTrue(Double.isNaN(ChainEstimates.publicationLag(db)), "no publication yet: unknown");
        db.tx(() -> {
            int owner = new Users(db).create("alice", Users.NORMAL);
            int project = db.insert("INSERT INTO projects (owner_id, name) VALUES (?, 'p') RETURNING id", owner);
            int chroot = db.insert("INSERT INTO project_chroots (project_id, name, arch) VALUES (?, 'fedora-40-x86_64', 'x86_64')"
                    + " RETURNING id", project);
            int chroot2 = db.insert("INSERT INTO project_chroots (project_id, name, arch) VALUES (?, 'fedora-40-aarch64', 'aarch64')"
                    + " RETURNING id", project);
            int slow = db.insert("INSERT INTO packages (name) VALUES ('slow') RETURNING id");
            int fast = db.insert("INSERT INTO packages (name) VALUES ('fast') RETURNING id");
            // slow, oldest first: 100 min (too old to count), then 10, 20, 30, 40, 50 min; one failed build of 500 min
            int[] slowMinutes = {100, 10, 20, 30, 40, 50};
            for (int i = 0; i < slowMinutes.length; i++) {
                int t = tasks.create(owner, "build", "noarch", 20, "<x/>", null, null, project);
                build(db, slow, t, owner, project, chroot, 1, i == 0 ? 5000 : 1000 - 10 * i, slowMinutes[i], null);
            }
            build(db, slow, tasks.create(owner, "build", "noarch", 20, "<x/>", null, null, project), owner, project, chroot, 3, 1, 500,
                    null);
            // fast: one Copr build in two chroots, 3 and 5 minutes: the build took 5; published 40 s and 60 s after
            int t = tasks.create(owner, "build", "noarch", 20, "<x/>", null, null, project);
            build(db, fast, t, owner, project, chroot, 1, 30, 3, 40);
            build(db, fast, t, owner, project, chroot2, 1, 30, 5, 60);
            return null;
        });
        double[] e = ChainEstimates.buildSeconds(db, List.of("fast", "never-built", "slow", "fast"));
        assertEquals(5 * 60, e[0], 1e-6, "a build's time is its start to its last chroot's end");
        assertTrue(Double.isNaN(e[1]), "nothing known of a package the hub never built");
        assertEquals(30 * 60, e[2], 1e-6, "median of the last five successful builds (10..50 min), not the old 100 min one");
        assertEquals(5 * 60, e[3], 1e-6);
        assertEquals(50, ChainEstimates.publicationLag(db), 1e-6, "median of the 40 s and 60 s lags");
    }

    /** A build that started {@code startedMinutesAgo} and took {@code minutes}; published {@code lag} s later if given. */
    private static void build(Db db, int pkg, int task, int owner, int project, int chroot, int state, int startedMinutesAgo,
            int minutes, Integer lag) {
        int b = db.insert("INSERT INTO builds (package_id, version, release, state, task_id, owner_id, project_id, chroot_id,"
                + " start_time, completion_time) VALUES (?, '1', ?, ?, ?, ?, ?, ?, now() - make_interval(mins => ?),"
                + " now() - make_interval(mins => ?) + make_interval(mins => ?)) RETURNING id", pkg, "r" + task + "." + chroot, state,
                task, owner, project, chroot, startedMinutesAgo, startedMinutesAgo, minutes);
        if (lag != null) {
            db.update("INSERT INTO build_results (task_id, build_id, chroot_id, dir, published, published_time) SELECT ?, ?, ?, 'd', true,"
                    + " completion_time + make_interval(secs => ?) FROM builds WHERE id = ?",
                    db.insert("INSERT INTO tasks (owner, method, arch, request, channel_id) VALUES (?, 'buildArch', 'x86_64', '<x/>',"
                            + " (SELECT id FROM channels WHERE name = 'default')) RETURNING id", owner), b, chroot, lag, b);
        }
    }
}

package org.fedorabuild.hub.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.compat.server.KojiMethod;
import org.fedorabuild.compat.server.Param;
import org.fedorabuild.hub.auth.Access;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.namespace.CoprName;
import org.fedorabuild.hub.namespace.Projects;
import org.fedorabuild.hub.retention.ProjectDeletion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copr project calls: {@code coprDeleteProject(name, force=False)}, allowed to the project's admins and hub
 * admins. The database phase runs in the call's transaction; the files go once it has committed (a
 * failure there is finished by the next prune or hub start).
 */
public final class ProjectApi {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectApi.class);

    private final Db db;
    private final Access access;
    private final Projects projects;
    private final ProjectDeletion deletion;

    public ProjectApi(Db db, Access access, Projects projects, ProjectDeletion deletion) {
        this.db = db;
        this.access = access;
        this.projects = projects;
        this.deletion = deletion;
    }

    @KojiMethod("coprDeleteProject")
    public Map<String, Object> coprDeleteProject(CallContext ctx, @Param("name") String name,
            @Param(value = "force", optional = true) Boolean force) {
        access.assertLogin(ctx);
        CoprName copr = CoprName.parse(name);
        return db.tx(() -> {
            Projects.Project p = projects.find(copr).orElseThrow(() -> new GenericError("No such project: " + copr));
            access.assertProjectRole(ctx, p.id(), copr.toString(), "admin");
            ProjectDeletion.Summary s = deletion.mark(copr, Boolean.TRUE.equals(force));
            db.afterCommit(() -> {
                try {
                    deletion.finishPending();
                } catch (Exception e) {
                    LOG.warn("Project {} - files not removed yet (the next prune finishes): {}", copr, e.toString());
                }
            });
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("project", copr.toString());
            m.put("builds", (int) s.builds());
            m.put("chroots", s.chroots());
            m.put("bytes", Long.toString(s.bytes()));
            m.put("canceled_tasks", s.canceledTasks());
            return m;
        });
    }
}

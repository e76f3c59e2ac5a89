package org.fedorabuild.hub.server;

import org.fedorabuild.compat.server.MethodRegistry;
import org.fedorabuild.hub.api.BuildApi;
import org.fedorabuild.hub.api.HostApi;
import org.fedorabuild.hub.api.PackageApi;
import org.fedorabuild.hub.api.SessionApi;
import org.fedorabuild.hub.api.TagApi;
import org.fedorabuild.hub.api.TaskApi;
import org.fedorabuild.hub.api.UserApi;
import org.fedorabuild.hub.auth.Access;
import org.fedorabuild.hub.auth.AuthInterceptor;
import org.fedorabuild.hub.auth.Sessions;
import org.fedorabuild.hub.auth.Tokens;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.config.HubConfig;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.host.Hosts;
import org.fedorabuild.hub.namespace.Projects;
import org.fedorabuild.hub.namespace.Tags;
import org.fedorabuild.hub.task.Tasks;

/** The hub's object graph over one database: repositories, the API services and the auth interceptor. */
public final class HubServices {
    public final Db db;
    public final Users users;
    public final Tokens tokens;
    public final Sessions sessions;
    public final Access access;
    public final Projects projects;
    public final Tags tags;
    public final Hosts hosts;
    public final Tasks tasks;
    public final HubConfig config;

    public HubServices(Db db, HubConfig config) {
        this.db = db;
        this.config = config;
        this.users = new Users(db);
        this.tokens = new Tokens(db);
        this.sessions = new Sessions(db, config.sessionRenewal());
        this.access = new Access(db, users);
        this.projects = new Projects(db, users);
        this.tags = new Tags(db);
        this.hosts = new Hosts(db, users);
        this.tasks = new Tasks(db);
    }

    public MethodRegistry registry() {
        BuildApi builds = new BuildApi(db, tags);
        PackageApi packages = new PackageApi(db, tags, projects, access);
        return new MethodRegistry()
                .register(new SessionApi(users, tokens, sessions, config))
                .register(new UserApi(users, access))
                .register(new TagApi(tags, builds, packages))
                .register(packages)
                .register(builds)
                .register(new TaskApi(db, tasks, access))
                .register(new HostApi(db, hosts, access));
    }

    public AuthInterceptor interceptor() {
        return new AuthInterceptor(db, sessions, config.serverOffline(), config.offlineMessage());
    }
}

package org.fedorabuild.hub.server;

import java.nio.file.Path;
import java.time.Duration;
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
import org.fedorabuild.hub.build.BuildFlow;
import org.fedorabuild.hub.build.BuildSubmission;
import org.fedorabuild.hub.builder.Dispatcher;
import org.fedorabuild.hub.builder.TaskRunner;
import org.fedorabuild.hub.config.HubConfig;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.host.HostCalls;
import org.fedorabuild.hub.host.Hosts;
import org.fedorabuild.hub.namespace.Projects;
import org.fedorabuild.hub.namespace.Tags;
import org.fedorabuild.hub.repo.RepoPublisher;
import org.fedorabuild.hub.repo.Results;
import org.fedorabuild.hub.task.TaskOutputs;
import org.fedorabuild.hub.task.Tasks;
import org.fedorabuild.hub.upload.UploadCleaner;
import org.fedorabuild.hub.upload.Uploads;

/** The hub's object graph over one database: repositories, the API services and the auth interceptor. */
public final class HubServices implements AutoCloseable {
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
    public final TaskOutputs outputs;
    public final Uploads uploads;
    public final RepoPublisher publisher;
    public final Results results;
    public final BuildSubmission submission;
    public final BuildFlow flow;
    public final org.fedorabuild.hub.retention.Retention retention;
    public final org.fedorabuild.hub.chain.ChainService chains;
    public final org.fedorabuild.hub.chain.ChainDriver chainDriver;
    public final org.fedorabuild.hub.cluster.Leases leases;
    public final org.fedorabuild.hub.source.FetchTasks fetches;
    public final org.fedorabuild.hub.account.Accounts accounts;
    public final org.fedorabuild.hub.namespace.SelfService selfService;
    private Dispatcher dispatcher;
    private org.fedorabuild.hub.pool.PoolManager pools;
    private org.fedorabuild.hub.schedule.Periodic jobs;

    public HubServices(Db db, HubConfig config) {
        this.db = db;
        this.config = config;
        DataDirs.secure(config);
        this.users = new Users(db);
        this.tokens = new Tokens(db);
        this.sessions = new Sessions(db, config.sessionRenewal()).maxPerUser(config.limits().userMaxSessions());
        this.access = new Access(db, users);
        this.projects = new Projects(db, users);
        this.tags = new Tags(db);
        this.hosts = new Hosts(db, users);
        this.tasks = new Tasks(db);
        this.outputs = new TaskOutputs(config.workDir());
        this.uploads = new Uploads(db, access, config.workDir(), config.builds().uploadMaxSize()).maxHeld(config.limits().userUploadBytes());
        this.publisher = new RepoPublisher(2, Duration.ofMinutes(30));
        this.results = new Results(db, config.builds().storageRoot(), outputs, publisher, config.publicUrl());
        this.submission = new BuildSubmission(db, access, projects, tasks, uploads, outputs, config.builds());
        submission.maxActiveBuilds(config.limits().userActiveBuilds());
        this.flow = new BuildFlow(db, submission, results);
        this.chains = new org.fedorabuild.hub.chain.ChainService(db, access, projects, tasks, uploads, outputs, config.builds(),
                config.chains());
        chains.maxActiveBuilds(config.limits().userActiveBuilds());
        this.chainDriver = new org.fedorabuild.hub.chain.ChainDriver(db, tasks, submission, outputs);
        this.retention = new org.fedorabuild.hub.retention.Retention(db, config, outputs, publisher);
        this.leases = new org.fedorabuild.hub.cluster.Leases(db, config.cluster());
        this.fetches = new org.fedorabuild.hub.source.FetchTasks(db, tasks, outputs, config.sourceUrls());
        fetches.wire(submission, flow);
        submission.sourceUrls(fetches);
        chains.sourceUrls(fetches);
        this.accounts = new org.fedorabuild.hub.account.Accounts(db, users, tokens, config.web());
        this.selfService = new org.fedorabuild.hub.namespace.SelfService(db, access, projects, new org.fedorabuild.hub.namespace.ChrootCatalog(db),
                new org.fedorabuild.hub.retention.ProjectDeletion(db, config.builds().storageRoot(), outputs, retention.locks));
    }

    public MethodRegistry registry() {
        BuildApi builds = new BuildApi(db, tags);
        PackageApi packages = new PackageApi(db, tags, projects, access);
        return new MethodRegistry()
                .register(new SessionApi(users, tokens, sessions, config))
                .register(new UserApi(users, access))
                .register(new TagApi(tags, builds, packages, db))
                .register(packages)
                .register(builds)
                .register(new TaskApi(db, tasks, access, outputs))
                .register(new HostApi(db, hosts, access))
                .register(new org.fedorabuild.hub.api.BuildrootApi(db))
                .register(new HostCalls(db, hosts, flow, submission))
                .register(uploads)
                .register(submission)
                .register(chains)
                .register(new org.fedorabuild.hub.api.ProjectApi(db, access, projects, new org.fedorabuild.hub.retention.ProjectDeletion(
                        db, config.builds().storageRoot(), outputs, retention.locks)));
    }

    public org.fedorabuild.compat.server.CallInterceptor interceptor() {
        AuthInterceptor auth = new AuthInterceptor(db, sessions, config.serverOffline(), config.offlineMessage());
        return (ctx, call, stage, next) -> {
            ctx.attach(org.fedorabuild.hub.config.Limits.class, config.limits());
            return auth.intercept(ctx, call, stage, next);
        };
    }

    /**
     * Starts building: publications a crash interrupted, the dispatcher for the SSH hosts (and the local
     * one, when {@code localHostId} is given), and the periodic cleanup of abandoned uploads.
     */
    public synchronized Dispatcher startBuilds(Integer localHostId) {
        // With several hubs, one at a time finishes publications (a dead hub's too) and drives the chains.
        var publications = new org.fedorabuild.hub.cluster.Elected(leases, "publications");
        if (publications.leading()) {
            results.publishPending();
        }
        retention.start();
        dispatcher = new Dispatcher(db, config.builds(), new TaskRunner(db, flow, outputs, config.builds(),
                new org.fedorabuild.hub.chain.Buildroots(db, config.builds().storageRoot(), config.publicUrl()))
                .maxLogBytes(config.limits().maxLogBytes())
                .buildRepos(new org.fedorabuild.hub.buildroot.BuildRepos(fetches.fetcher(), config.publicUrl(),
                        config.builds().storageRoot())),
                localBuilderRoot(), localHostId, leases);
        var poolMetrics = new org.fedorabuild.hub.pool.PoolMetrics(retention.metrics.registry(), db, config.pools().pools());
        dispatcher.setMaxBuildsPerOwner(config.pools().maxBuildsPerOwner());
        dispatcher.setListener((task, host, c) -> poolMetrics.queueWait(c.ownerName(), c.waited()));
        dispatcher.start();
        if (!config.pools().pools().isEmpty()) {
            pools = new org.fedorabuild.hub.pool.PoolManager(db, retention.locks, config.pools(), hosts, config.builds(), poolMetrics);
            pools.start(config.builds().dispatchInterval());
        }
        chainDriver.start(config.builds().dispatchInterval(), new org.fedorabuild.hub.cluster.Elected(leases, "chains"));
        fetches.start(config.builds().dispatchInterval());
        UploadCleaner cleaner = new UploadCleaner(config.workDir(), config.builds().uploadMaxAge());
        long every = Math.max(60, Math.min(3600, config.builds().uploadMaxAge().toSeconds() / 4));
        jobs = org.fedorabuild.hub.schedule.Periodic.every("upload-cleaner", Duration.ofSeconds(10), Duration.ofSeconds(every),
                () -> {
                    try {
                        cleaner.sweep();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .alsoEvery("publications", Duration.ofSeconds(Math.max(1, config.cluster().lease().toSeconds())), () -> {
                    // a dead hub's unfinished publications, by the one hub holding duty:publications
                    if (publications.leading()) {
                        results.publishStale(config.cluster().lease());
                    }
                });
        return dispatcher;
    }

    /** Where the local builder ({@code serve --local-builder}) works. */
    public Path localBuilderRoot() {
        return config.dataDir().resolve("builder");
    }

    @Override
    public synchronized void close() {
        if (jobs != null) {
            jobs.close();
        }
        chainDriver.close();
        fetches.close();
        if (pools != null) {
            pools.close();
        }
        if (dispatcher != null) {
            dispatcher.close();
            leases.releaseAll();
        }
        retention.close();
        publisher.close();
    }
}

package org.fedorabuild.hub.retention;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedorabuild.hub.config.HubConfig;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.repo.RepoPublisher;
import org.fedorabuild.hub.task.TaskOutputs;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention in one hub process: the pruner, the scale-up reaper, disk usage and metrics, and (in
 * {@code serve}) the Quartz scheduler that runs them on {@code [retention] schedule}. The scheduler uses a
 * RAMJobStore: the schedule lives in the config, not the database, and two hubs on one database are safe
 * anyway because a prune takes a PostgreSQL advisory lock (the second waits, then finds nothing to do).
 */
public final class Retention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    public final AdvisoryLocks locks;
    public final Pruner pruner;
    public final ScaleupReaper reaper;
    public final DiskUsage usage;
    public final HubMetrics metrics;
    public final ProjectRetention projects;
    private final HubConfig config;
    private Scheduler scheduler;

    public Retention(Db db, HubConfig config, TaskOutputs outputs, RepoPublisher publisher) {
        this.config = config;
        this.locks = new AdvisoryLocks(db.dataSource(), config.builds().storageRoot());
        publisher.setLock(locks);
        this.pruner = new Pruner(db, config.builds().storageRoot(), outputs, publisher, locks, config.retention().policy());
        this.reaper = new ScaleupReaper(db, config.retention());
        this.usage = new DiskUsage(config.builds().storageRoot());
        this.metrics = new HubMetrics(usage);
        this.projects = new ProjectRetention(db, config.retention().policy());
    }

    /** One prune (and, unless dry, builder retirement); returns the lines {@code copr-hub prune} prints. */
    public List<String> runOnce(boolean dryRun) {
        try {
            Pruner.Report report = pruner.run(dryRun);
            List<String> lines = new ArrayList<>(report.lines());
            lines.addAll(reaper.run(dryRun));
            if (!dryRun) {
                metrics.pruned(report);
                metrics.retired((int) lines.stream().filter(l -> l.startsWith("retired builder")).count());
                LOG.info("Prune - {}", lines.get(report.items().size()));
            }
            return lines;
        } catch (Exception e) {
            metrics.pruneFailed();
            LOG.warn("Prune - failed: {} (the next prune finishes what this one marked)", e.toString());
            throw e instanceof RuntimeException r ? r : new IllegalStateException("prune failed: " + e.getMessage(), e);
        }
    }

    /**
     * At hub start: storage permissions, what an interrupted prune left (in the background), and the
     * scheduled prune when {@code schedule} is set.
     */
    public synchronized void start() {
        try {
            StorageFiles.secure(config.builds().storageRoot(), config.workDir());
        } catch (java.io.IOException e) {
            LOG.warn("Storage - cannot set permissions: {}", e.toString());
        }
        Thread t = new Thread(() -> {
            try {
                int n = pruner.finishPending().size();
                if (n > 0) {
                    LOG.info("Prune - finished {} build(s) an interrupted prune had marked", n);
                }
            } catch (Exception e) {
                LOG.warn("Prune - cannot finish an interrupted prune: {}", e.toString(), e);
            }
        }, "prune-resume");
        t.setDaemon(true);
        t.start();
        String cron = config.retention().schedule();
        if (cron == null) {
            LOG.info("Prune - no [retention] schedule: prune runs only from `copr-hub prune`");
            return;
        }
        try {
            Properties p = new Properties();
            p.setProperty("org.quartz.scheduler.instanceName", "copr-hub-retention-" + INSTANCES.incrementAndGet());
            p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
            p.setProperty("org.quartz.threadPool.threadCount", "1");
            p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
            scheduler = new StdSchedulerFactory(p).getScheduler();
            scheduler.getContext().put(RetentionJob.RETENTION_KEY, this);
            scheduler.scheduleJob(JobBuilder.newJob(RetentionJob.class).withIdentity("prune", "copr-hub").build(),
                    TriggerBuilder.newTrigger().withIdentity("retention-schedule", "copr-hub")
                            .withSchedule(CronScheduleBuilder.cronSchedule(cron).withMisfireHandlingInstructionDoNothing()).build());
            scheduler.start();
            LOG.info("Prune - scheduled: '{}'", cron);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the prune schedule: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            try {
                scheduler.shutdown(true);
            } catch (SchedulerException e) {
                LOG.warn("Prune - scheduler shutdown failed: {}", e.toString());
            }
            scheduler = null;
        }
    }
}

package org.fedorabuild.watchdog.scheduler;

import java.time.Duration;
import java.util.Properties;
import org.fedorabuild.watchdog.cycle.WatchdogCycle;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's clock: a Quartz scheduler with a clustered JDBC job store on the watchdog's PostgreSQL
 * ({@code QRTZ_} tables from migration 002, HikariCP connection provider), firing {@link CycleJob} every
 * {@code check_interval}. Any number of instances may run on one database for high availability: each
 * firing runs on exactly one of them, never two cycles at once, and a survivor takes over when one dies.
 * Missed firings (a long cycle, a pause) are skipped, not replayed.
 */
public final class WatchdogScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WatchdogScheduler.class);
    static final JobKey JOB = JobKey.jobKey("cycle", "kojira-watchdog");
    static final TriggerKey TRIGGER = TriggerKey.triggerKey("every-check-interval", "kojira-watchdog");

    private final Scheduler scheduler;

    /**
     * @param instanceId unique per instance ("AUTO": host name and start time, as Quartz's own AUTO, but without
     *     needing the host name to resolve, which Quartz does and which fails on hosts missing from /etc/hosts)
     */
    public WatchdogScheduler(String jdbcUrl, String user, String password, String instanceId, WatchdogCycle cycle,
            Duration interval, CycleJob.Listener listener) throws SchedulerException {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "kojira-watchdog");
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO".equals(instanceId) ? autoInstanceId() : instanceId);
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", "2");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "5000");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "5000");
        p.setProperty("org.quartz.jobStore.dataSource", "watchdog");
        p.setProperty("org.quartz.dataSource.watchdog.provider", "hikaricp");
        p.setProperty("org.quartz.dataSource.watchdog.driver", "org.postgresql.Driver");
        p.setProperty("org.quartz.dataSource.watchdog.URL", jdbcUrl);
        p.setProperty("org.quartz.dataSource.watchdog.user", user == null ? "" : user);
        p.setProperty("org.quartz.dataSource.watchdog.password", password == null ? "" : password);
        p.setProperty("org.quartz.dataSource.watchdog.maxConnections", "4");
        StdSchedulerFactory factory = new StdSchedulerFactory(p);
        scheduler = factory.getScheduler();
        scheduler.getContext().put(CycleJob.CYCLE_KEY, cycle);
        if (listener != null) {
            scheduler.getContext().put(CycleJob.LISTENER_KEY, listener);
        }
        ensureSchedule(interval);
    }

    /** Stores the job and its trigger once for the cluster; a changed check_interval reschedules it. */
    private void ensureSchedule(Duration interval) throws SchedulerException {
        JobDetail job = JobBuilder.newJob(CycleJob.class).withIdentity(JOB).storeDurably()
                .withDescription("one kojira-watchdog cycle").build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(TRIGGER).forJob(JOB).startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(interval.toMillis())
                        .repeatForever().withMisfireHandlingInstructionNextWithRemainingCount()).build();
        try {
            if (!scheduler.checkExists(JOB)) {
                scheduler.scheduleJob(job, trigger);
                return;
            }
        } catch (ObjectAlreadyExistsException e) {
            return; // another instance stored it at the same moment
        }
        Trigger existing = scheduler.getTrigger(TRIGGER);
        if (!(existing instanceof SimpleTrigger st) || st.getRepeatInterval() != interval.toMillis()) {
            LOG.info("check_interval changed to {} s: rescheduling the cycle", interval.toSeconds());
            if (existing == null) {
                scheduler.scheduleJob(trigger);
            } else {
                scheduler.rescheduleJob(TRIGGER, trigger);
            }
        }
    }

    public void start() throws SchedulerException {
        scheduler.start();
        LOG.info("Scheduler {} started: a cycle every check_interval, clustered", scheduler.getSchedulerInstanceId());
    }

    static String autoInstanceId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.nio.file.Files.readString(java.nio.file.Path.of("/etc/hostname")).strip();
            } catch (java.io.IOException | RuntimeException e) {
                host = "";
            }
        }
        if (host.isBlank()) {
            host = "watchdog-" + ProcessHandle.current().pid();
        }
        return host + "-" + System.currentTimeMillis();
    }

    public String instanceId() throws SchedulerException {
        return scheduler.getSchedulerInstanceId();
    }

    @Override
    public void close() {
        close(java.time.Duration.ofSeconds(60));
    }

    /**
     * Stops firing cycles and waits up to {@code grace} for a running one to finish. A cycle still running then is
     * abandoned: its decisions are recorded one by one as they are acted on, and the clustered job store hands the
     * schedule to another instance (or to the next start), so nothing is left half-done that the next cycle does not
     * judge again. Returns true if no cycle was left running.
     */
    public boolean close(java.time.Duration grace) {
        Thread waiter = new Thread(() -> {
            try {
                scheduler.shutdown(true);
            } catch (SchedulerException e) {
                LOG.warn("Scheduler shutdown failed: {}", e.toString(), e);
            }
        }, "kojira-watchdog-scheduler-stop");
        waiter.setDaemon(true);
        waiter.start();
        try {
            waiter.join(grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (waiter.isAlive()) {
            LOG.warn("Stopping: a cycle is still running after {} s; abandoning it (the next cycle judges again)",
                    grace.toSeconds());
            return false;
        }
        return true;
    }
}

package org.fedorabuild.watchdog.scheduler;

import org.fedorabuild.watchdog.cycle.CycleReport;
import org.fedorabuild.watchdog.cycle.WatchdogCycle;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;

/**
 * The Quartz job: one watchdog cycle. {@code @DisallowConcurrentExecution} with the clustered JDBC store
 * means one cycle at a time across every instance sharing the database.
 */
@DisallowConcurrentExecution
public final class CycleJob implements Job {
    public static final String CYCLE_KEY = "kojira-watchdog.cycle";
    public static final String LISTENER_KEY = "kojira-watchdog.listener";

    /** Observes cycles (tests, and the service's own bookkeeping). */
    public interface Listener {
        void ran(String instanceId, CycleReport report, long startNanos, long endNanos);
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        try {
            WatchdogCycle cycle = (WatchdogCycle) context.getScheduler().getContext().get(CYCLE_KEY);
            Listener listener = (Listener) context.getScheduler().getContext().get(LISTENER_KEY);
            long t0 = System.nanoTime();
            CycleReport r = cycle.run();
            if (listener != null) {
                listener.ran(context.getScheduler().getSchedulerInstanceId(), r, t0, System.nanoTime());
            }
        } catch (SchedulerException e) {
            throw new JobExecutionException(e);
        } catch (RuntimeException e) {
            // A cycle that failed on our side (e.g. the database) is logged; the next firing tries again.
            org.slf4j.LoggerFactory.getLogger(CycleJob.class).error("Cycle failed: {}", e.toString(), e);
        }
    }
}

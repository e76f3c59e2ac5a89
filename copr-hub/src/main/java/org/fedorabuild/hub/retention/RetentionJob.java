package org.fedorabuild.hub.retention;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;

/**
 * The scheduled prune inside {@code serve}: the same work as {@code copr-hub prune}, then the idle scale-up
 * builders. {@code @DisallowConcurrentExecution} keeps one run per hub; across processes the prune's
 * advisory lock does.
 */
@DisallowConcurrentExecution
public final class RetentionJob implements Job {
    static final String RETENTION_KEY = "copr-hub.retention";

    @Override
    public void execute(JobExecutionContext context) {
        try {
            ((Retention) context.getScheduler().getContext().get(RETENTION_KEY)).runOnce(false);
        } catch (SchedulerException | RuntimeException e) {
            // logged by runOnce or here; the next firing tries again
            org.slf4j.LoggerFactory.getLogger(RetentionJob.class).error("Prune - scheduled run failed: {}", e.toString(), e);
        }
    }
}

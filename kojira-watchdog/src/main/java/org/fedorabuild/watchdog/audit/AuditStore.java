package org.fedorabuild.watchdog.audit;

import javax.sql.DataSource;

/**
 * The watchdog's PostgreSQL tables (migrations in {@code sql/kojira-watchdog}), one class each concern: the
 * audit trail, observed outages, acted-on task runs, the rules' memory and fences, and drains. Each method
 * of those is its own transaction. This facade is what the cycle, its steps and the commands are handed, so
 * that they all work on one database and one instance name.
 */
public final class AuditStore {
    public static final String MIGRATIONS = "sql/kojira-watchdog";

    private final DataSource ds;
    private final AuditTrail trail;
    private final OutageLog outages;
    private final RunClaims runs;
    private final FleetMemory memory;
    private final Fences fences;
    private final DrainStore drains;

    /** {@code instance} names this process in the audit rows (host:pid, or the cluster instance id). */
    public AuditStore(DataSource ds, String instance) {
        this.ds = ds;
        this.trail = new AuditTrail(ds, instance);
        this.outages = new OutageLog(ds);
        this.runs = new RunClaims(ds);
        this.memory = new FleetMemory(ds);
        this.fences = new Fences(ds);
        this.drains = new DrainStore(ds);
    }

    public DataSource dataSource() {
        return ds;
    }

    /** The {@code audit} table: every decision, and the host history the auto-drain policy counts. */
    public AuditTrail trail() {
        return trail;
    }

    public OutageLog outages() {
        return outages;
    }

    /** Task runs acted on: claimed before acting, so each run at most once. */
    public RunClaims runs() {
        return runs;
    }

    public FleetMemory memory() {
        return memory;
    }

    public Fences fences() {
        return fences;
    }

    public DrainStore drains() {
        return drains;
    }
}

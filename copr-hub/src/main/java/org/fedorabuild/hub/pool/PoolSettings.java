package org.fedorabuild.hub.pool;

import java.time.Duration;
import java.util.List;

/**
 * One {@code [pool NAME]} section: how to start, check and retire builders of this pool, and its limits.
 * Commands run through {@code /bin/sh -c} with the builder's data in the environment only (never pasted
 * into the command text), so a hostile name or address cannot inject shell.
 *
 * @param cmdNew       starts a builder; its last output line is {@code USER@HOST[:PORT]}
 * @param cmdDelete    retires a builder (gets {@code ADDRESS} too)
 * @param cmdCheck     liveness probe, exit 0 = alive; null: none
 * @param arches       arches its builders build (the first is {@code ARCH} in the environment)
 * @param capacity     Koji capacity of each builder (task weights it runs at once)
 * @param max          builders at once, starting and retiring ones included
 * @param minIdle      idle builders kept warm
 * @param maxBuilds    tasks a builder takes before it is retired and replaced; 0: no limit
 * @param idleTimeout  idle time after which a builder is retired (above min_idle); zero: never
 * @param startTimeout bound on cmd_new plus the first SSH login
 * @param trustOnStart learn the host key at the first connection instead of reading known_hosts
 * @param backend      build backend of its builders (auto, mock, rpmbuild); null: the hub's BuildBackend
 */
public record PoolSettings(String name, String cmdNew, String cmdDelete, String cmdCheck, List<String> arches, double capacity,
        int max, int minIdle, int maxBuilds, Duration idleTimeout, Duration startTimeout, boolean trustOnStart, String backend,
        Duration checkInterval, Duration deadAfter, Duration backoff, Duration commandTimeout) {

    /** The arch a builder of this pool announces to its commands. */
    public String arch() {
        return arches.get(0);
    }

    /** Whether a task of {@code arch} may run here ({@code noarch} runs anywhere). */
    public boolean builds(String arch) {
        return "noarch".equals(arch) || arches.contains(arch);
    }
}

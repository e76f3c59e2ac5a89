package org.fedorabuild.hub.pool;

import java.util.List;

/**
 * Builder pools and fairness: the {@code [pool NAME]} sections and {@code [hub] MaxBuildsPerOwner} (builds
 * of one Copr owner, user or group, running at once on all builders; 0: no limit).
 */
public record PoolsConfig(List<PoolSettings> pools, int maxBuildsPerOwner) {
    public static final PoolsConfig NONE = new PoolsConfig(List.of(), 0);
}

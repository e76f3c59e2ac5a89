package org.fedorabuild.watchdog.detect;

import java.util.Map;
import java.util.Set;
import org.fedorabuild.watchdog.hub.Task;

/**
 * What the watchdog remembers between cycles (kept in PostgreSQL), as the rules need it. All times are hub
 * epoch seconds.
 *
 * @param disabledSince when each disabled host was first seen disabled
 * @param assignedSince when each ASSIGNED task was first seen assigned to its current host
 * @param progressSince when each watched OPEN task's output last grew (as observed by the watchdog)
 * @param fenced hosts this watchdog disabled, with when they were first seen healthy again (null: not yet)
 * @param draining hosts with an active drain (their tasks follow the drain's deadline, not the rules)
 * @param freedRuns task runs already freed or canceled: never acted on twice
 */
public record Memory(Map<Long, Double> disabledSince, Map<Long, Double> assignedSince, Map<Long, Double> progressSince,
        Map<Long, Fence> fenced, Set<Long> draining, Set<Task.RunKey> freedRuns) {

    /** A fence this watchdog set: the comment it replaced, and since when the host has been healthy. */
    public record Fence(String previousComment, Double healthySince) {
    }

    public static Memory empty() {
        return new Memory(Map.of(), Map.of(), Map.of(), Map.of(), Set.of(), Set.of());
    }
}

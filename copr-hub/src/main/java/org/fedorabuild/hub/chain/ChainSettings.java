package org.fedorabuild.hub.chain;

/**
 * Chain build defaults ({@code [hub]} keys {@code ChainCycles}, {@code ChainCycleAttempts}); a chain may
 * override both in its opts.
 *
 * @param cycles        {@code fail}: members of a dependency cycle fail at once, naming the cycle;
 *                      {@code retry}: the cycle is built by bounded retry confined to its members
 * @param cycleAttempts most attempts per cycle member with {@code retry}
 */
public record ChainSettings(String cycles, int cycleAttempts) {
    public static final ChainSettings DEFAULTS = new ChainSettings("fail", 3);
}

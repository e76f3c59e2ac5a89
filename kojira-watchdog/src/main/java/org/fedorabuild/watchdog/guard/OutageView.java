package org.fedorabuild.watchdog.guard;

/**
 * The recorded outages as the warm-up guard needs them.
 *
 * @param open an outage is still open (the hub was unreachable, or every host was silent, and the fleet
 *     has not recovered yet)
 * @param lastEndedHub hub epoch seconds when the newest closed outage ended; null when none was ever recorded
 */
public record OutageView(boolean open, Double lastEndedHub) {
    public static final OutageView NONE = new OutageView(false, null);
}

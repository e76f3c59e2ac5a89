package org.fedorabuild.watchdog.hub;

/**
 * A Koji host as {@code listHosts} and {@code getLastHostUpdate} describe it. Times are hub epoch seconds.
 *
 * @param updateTs the last {@code host.updateHost} check-in ({@code update_ts}), null if never
 * @param sessionTs the last request of any of the host's sessions ({@code getLastHostUpdate(id, ts=True)}),
 *     null if never; kojid's task processes keep this fresh even when its main loop is blocked
 */
public record Host(long id, String name, boolean enabled, boolean ready, double taskLoad, double capacity,
        String arches, String comment, Double updateTs, Double sessionTs) {

    /** The newest evidence that the host is alive: the later of its check-in and its session activity. */
    public Double lastSeen() {
        if (updateTs == null) {
            return sessionTs;
        }
        return sessionTs == null ? updateTs : Math.max(updateTs, sessionTs);
    }

    /** Seconds since {@link #lastSeen()} on the hub's clock, or -1 when the host never checked in. */
    public long silentSeconds(double hubNow) {
        Double seen = lastSeen();
        return seen == null ? -1 : Math.max(0, (long) Math.floor(hubNow - seen));
    }
}

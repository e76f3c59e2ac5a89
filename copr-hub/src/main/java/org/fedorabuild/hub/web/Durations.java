package org.fedorabuild.hub.web;

import java.time.Duration;

/** Durations as people read them on a status page: "45 s", "3 min 20 s", "2 h 5 min", "3 d 4 h". */
public final class Durations {
    private Durations() {
    }

    public static String words(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        if (s < 86400) {
            return s / 3600 + " h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + " min");
        }
        return s / 86400 + " d" + (s % 86400 / 3600 == 0 ? "" : " " + s % 86400 / 3600 + " h");
    }
}

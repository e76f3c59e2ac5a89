package org.fedorabuild.hub.web;

/**
 * State words: Copr's on the Copr pages ({@code pending}, {@code running}, {@code succeeded}, {@code failed},
 * {@code canceled}), Koji's on the Koji pages (task FREE/OPEN/CLOSED/CANCELED/ASSIGNED/FAILED, build
 * BUILDING/COMPLETE/DELETED/FAILED/CANCELED). Each has a CSS class {@code state-WORD}.
 */
public final class States {
    private static final String[] TASK = {"FREE", "OPEN", "CLOSED", "CANCELED", "ASSIGNED", "FAILED"};
    private static final String[] BUILD = {"BUILDING", "COMPLETE", "DELETED", "FAILED", "CANCELED"};
    private static final String[] COPR = {"pending", "running", "succeeded", "canceled", "pending", "failed"};

    private States() {
    }

    /** A Koji task state's name. */
    public static String task(int state) {
        return state >= 0 && state < TASK.length ? TASK[state] : "UNKNOWN";
    }

    /** A Koji build state's name. */
    public static String build(int state) {
        return state >= 0 && state < BUILD.length ? BUILD[state] : "UNKNOWN";
    }

    /** Copr's word for a task's state (FREE and ASSIGNED are both waiting: {@code pending}). */
    public static String copr(int taskState) {
        return taskState >= 0 && taskState < COPR.length ? COPR[taskState] : "unknown";
    }

    /** Whether a task in this state can still change (FREE, OPEN, ASSIGNED): its page keeps polling. */
    public static boolean active(int taskState) {
        return taskState == 0 || taskState == 1 || taskState == 4;
    }

    public static String css(String word) {
        return "state state-" + word.toLowerCase(java.util.Locale.ROOT);
    }

    /** Koji task state names a filter accepts, as numbers; {@code active} = FREE, OPEN, ASSIGNED. */
    public static Integer[] taskFilter(String word) {
        String w = word.toUpperCase(java.util.Locale.ROOT);
        if (w.equals("ACTIVE")) {
            return new Integer[] {0, 1, 4};
        }
        for (int i = 0; i < TASK.length; i++) {
            if (TASK[i].equals(w)) {
                return new Integer[] {i};
            }
        }
        throw HttpError.badRequest("bad state '" + word + "': expected all, active, free, open, closed, canceled, assigned or failed");
    }

    public static int buildFilter(String word) {
        String w = word.toUpperCase(java.util.Locale.ROOT);
        for (int i = 0; i < BUILD.length; i++) {
            if (BUILD[i].equals(w) || String.valueOf(i).equals(w)) {
                return i;
            }
        }
        throw HttpError.badRequest("bad state '" + word + "': expected building, complete, deleted, failed or canceled");
    }
}

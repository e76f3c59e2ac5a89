package org.fedorabuild.hub.retention;

/**
 * One build (or failed/scratch build task) a prune removes.
 *
 * @param kind     {@code build}, {@code failed} or {@code scratch}
 * @param buildId  the Koji build (kind build), else null
 * @param taskId   the buildArch task whose outputs go
 * @param buildDir results directory relative to the storage root (kind build), else null
 */
public record PruneItem(String kind, Integer buildId, int taskId, int projectId, Integer chrootId, String nvr, String project,
        String chroot, long size, LogAction logs, String buildDir) {

    /** The line {@code copr-hub prune} prints: NVR, project, chroot, size (kind and id after them). */
    public String line(String verb) {
        String what = buildId != null ? "build " + buildId : kind + " task " + taskId;
        return String.format("%-13s %s  %s  %s  %s  (%s)", verb, nvr, project, chroot == null ? "-" : chroot, human(size), what);
    }

    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        do {
            v /= 1024;
            u++;
        } while (v >= 1024 && u < units.length - 1);
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}

package org.fedorabuild.hub.sandbox;

/**
 * What one build may use on its builder besides wall time ({@code BuildTimeout}): CPU seconds (all its
 * processes together), resident memory, bytes written to its build directory and temporary areas, and
 * processes at once. The sandbox stops a build that reaches one and exits with that limit's status.
 */
public record SandboxLimits(long cpuSeconds, long memoryBytes, long diskBytes, int processes) {
    /** Exit status of {@code copr-hub-sandbox run} when the wall time limit stopped the build. */
    public static final int WALL = 250;

    public SandboxLimits {
        if (cpuSeconds < 1 || memoryBytes < (16L << 20) || diskBytes < (1L << 20) || processes < 8) {
            throw new IllegalArgumentException("sandbox limits too small: cpu " + cpuSeconds + " s, memory " + memoryBytes
                    + " B, disk " + diskBytes + " B, processes " + processes
                    + " (expected at least 1 s, 16 MiB, 1 MiB, 8 processes)");
        }
    }

    /** Defaults: a day of CPU, 4 GiB, 20 GiB, 1024 processes. */
    public static SandboxLimits defaults() {
        return new SandboxLimits(86400, 4096L << 20, 20480L << 20, 1024);
    }

    /**
     * The limit an exit status of {@code copr-hub-sandbox run} stands for, worded with its value
     * ({@code "process limit (64)"}), or null when the status is the build command's own.
     */
    public String exceeded(int status, long wallSeconds) {
        return switch (status) {
            case WALL -> "wall time limit (" + wallSeconds + " s)";
            case 251 -> "CPU time limit (" + cpuSeconds + " s)";
            case 252 -> "process limit (" + processes + ")";
            case 253 -> "memory limit (" + (memoryBytes >> 20) + " MiB)";
            case 254 -> "disk limit (" + (diskBytes >> 20) + " MiB)";
            default -> null;
        };
    }
}

package org.fedorabuild.compat.wire;

/**
 * Bounds on one XML-RPC body. A hub must not let one request take its memory: Koji caps request bodies at
 * {@code MaxRequestLength} (4 MiB) and its parser refuses entity tricks; the depth bound stops a body of
 * nested arrays from exhausting the parser's stack.
 */
public record WireLimits(long maxBytes, int maxDepth) {
    /** Koji's default {@code MaxRequestLength}. */
    public static final long KOJI_MAX_REQUEST_LENGTH = 4L * 1024 * 1024;

    /** What a hub accepts from a client. */
    public static final WireLimits REQUEST = new WireLimits(KOJI_MAX_REQUEST_LENGTH, 64);

    /** What a client accepts from a hub: large listings (100k tasks) are legitimate answers. */
    public static final WireLimits RESPONSE = new WireLimits(1024L * 1024 * 1024, 128);

    public WireLimits {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        if (maxDepth < 8) {
            throw new IllegalArgumentException("maxDepth must be at least 8, got " + maxDepth);
        }
    }
}

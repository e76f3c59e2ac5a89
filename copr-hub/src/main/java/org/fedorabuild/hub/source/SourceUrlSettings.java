package org.fedorabuild.hub.source;

import java.time.Duration;

/**
 * How the hub fetches build sources given as http(s) URLs ({@code [hub]} keys): {@code SourceURLAllowPrivate}
 * (default no: loopback, link-local, private and other non-public addresses are refused),
 * {@code SourceURLMaxSize} (bytes, default 1 GiB) and {@code SourceURLTimeout} (seconds for the whole
 * fetch, default 600).
 */
public record SourceUrlSettings(boolean allowPrivate, long maxSize, Duration timeout) {
}

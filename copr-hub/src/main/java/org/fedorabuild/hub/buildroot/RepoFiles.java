package org.fedorabuild.hub.buildroot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.fedorabuild.hub.source.SourceFetchException;
import org.fedorabuild.hub.source.SourceFetcher;

/**
 * The files of build repositories, which strangers name: fetched with the hub's checked HTTP client (the same
 * address, redirect, size and time rules as source URLs, so a build repository is no way into the hub's own
 * network), except this hub's own published repositories (another project's results), which are read from the
 * storage root they are published to.
 */
final class RepoFiles {
    private final SourceFetcher fetcher;
    private final String ownResults;
    private final Path storageRoot;

    /**
     * @param publicUrl the hub's public URL, under which {@code /results/} serves {@code storageRoot}; null when
     *     every repository is fetched over HTTP
     */
    RepoFiles(SourceFetcher fetcher, String publicUrl, Path storageRoot) {
        this.fetcher = fetcher;
        this.ownResults = publicUrl == null ? null : publicUrl.replaceAll("/+$", "") + "/results/";
        this.storageRoot = storageRoot == null ? null : storageRoot.toAbsolutePath().normalize();
    }

    /** The file at {@code url}, at most {@code max} bytes. */
    byte[] bytes(String url, long max) throws IOException {
        Path tmp = Files.createTempFile("build-repo-", ".part");
        try {
            get(url, tmp, max);
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Saves the file at {@code url} as {@code dest}, at most {@code max} bytes; returns its size. */
    long get(String url, Path dest, long max) throws IOException {
        Path local = local(url);
        if (local != null) {
            long size = Files.size(local);
            if (size > max) {
                throw new IOException("refused " + url + ": larger than the limit of " + max + " bytes");
            }
            Files.copy(local, dest, StandardCopyOption.REPLACE_EXISTING);
            return size;
        }
        try {
            return fetcher.fetchRepoFile(url, dest, max);
        } catch (SourceFetchException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The published file behind one of this hub's own results URLs, or null for any other URL. */
    private Path local(String url) {
        if (ownResults == null || storageRoot == null || !url.startsWith(ownResults)) {
            return null;
        }
        String rel = url.substring(ownResults.length());
        if (rel.isEmpty() || rel.startsWith("/") || rel.contains("..") || rel.contains("%") || rel.contains("\\")
                || rel.contains("?") || rel.contains("#")) {
            return null;
        }
        Path p = storageRoot.resolve(rel).normalize();
        return p.startsWith(storageRoot) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? p : null;
    }
}

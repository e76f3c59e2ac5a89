package org.fedorabuild.hub.source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedorabuild.hub.sandbox.HeaderSandbox;

/**
 * The Source and Patch files of a spec fetched from a URL that are themselves URLs, fetched by the hub under the
 * source URL rules (outside the build's sandbox, which has no network). The spec is expanded by {@code rpmspec -P}
 * in the hub's header sandbox, because expanding a spec runs its shell macros.
 */
public final class SpecSources {
    private static final Pattern TAG = Pattern.compile("^(?i:source|patch)\\d*\\s*:\\s*(\\S+)\\s*$");
    /** More than a real package has; a spec listing thousands is refused. */
    static final int MAX_SOURCES = 200;

    private SpecSources() {
    }

    /** Fetches into the spec's directory every http(s) Source/Patch URL; returns their file names. */
    public static List<String> fetch(Path spec, SourceFetcher fetcher) throws SourceFetchException {
        String expanded;
        try {
            expanded = org.fedorabuild.process.Command.of(HeaderSandbox.wrap(spec, List.of("rpmspec", "-P",
                    HeaderSandbox.inside(spec))).toArray(new String[0])).timeout(Duration.ofSeconds(60))
                    .runChecked("expanding the spec " + spec.getFileName()).stdout();
        } catch (java.io.IOException | RuntimeException e) {
            throw new SourceFetchException("the spec " + spec.getFileName() + " cannot be read: " + e.getMessage());
        }
        List<String> urls = new ArrayList<>();
        for (String line : expanded.split("\n")) {
            Matcher m = TAG.matcher(line);
            if (m.matches() && SourceFetcher.isUrl(m.group(1))) {
                urls.add(m.group(1));
            }
        }
        if (urls.size() > MAX_SOURCES) {
            throw new SourceFetchException("refused the spec " + spec.getFileName() + ": " + urls.size() + " Source URLs, at most "
                    + MAX_SOURCES);
        }
        List<String> names = new ArrayList<>();
        for (String url : urls) {
            // rpm names the file after the last '/' of the tag's value, so "…/get?id=1#/name.tar.gz" works too
            String plain = url.contains("#/") ? url.substring(0, url.indexOf('#')) : url;
            Path f = fetcher.fetchSourceFile(plain, spec.getParent());
            String want = url.substring(url.lastIndexOf('/') + 1);
            if (!want.equals(f.getFileName().toString())) {
                if (!want.matches("[A-Za-z0-9][A-Za-z0-9._+~-]{0,200}")) {
                    throw new SourceFetchException("refused " + url + ": the Source file name '" + want + "' is not a plain file name");
                }
                try {
                    java.nio.file.Files.move(f, f.resolveSibling(want), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } catch (java.io.IOException e) {
                    throw new SourceFetchException("cannot keep " + url + ": " + e.getMessage());
                }
            }
            names.add(want);
        }
        return names;
    }
}

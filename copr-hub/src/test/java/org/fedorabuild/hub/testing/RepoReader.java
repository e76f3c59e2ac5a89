package org.fedorabuild.hub.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** Reads a published chroot repository over HTTP as dnf does: repomd.xml, then the primary metadata it names. */
public final class RepoReader {
    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    public RepoReader(String base) {
        this.base = base;
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** name-version-release.arch of every package, sorted; empty before the first publication. */
    public List<String> packages(String project, String chroot) throws IOException, InterruptedException {
        String dir = "/results/" + project + "/" + chroot + "/";
        HttpResponse<byte[]> repomd = get(dir + "repodata/repomd.xml");
        if (repomd.statusCode() != 200) {
            return List.of();
        }
        Matcher m = Pattern.compile("<data type=\"primary\">.*?href=\"([^\"]+)\"", Pattern.DOTALL)
                .matcher(new String(repomd.body(), StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new AssertionError("repomd.xml lists no primary metadata");
        }
        HttpResponse<byte[]> gz = get(dir + m.group(1));
        if (gz.statusCode() != 200) {
            throw new AssertionError("repomd.xml names " + m.group(1) + " but it is not served: a torn repository");
        }
        String primary = new String(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes(), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        Matcher p = Pattern.compile("<name>([^<]+)</name>\\s*<arch>([^<]+)</arch>\\s*<version epoch=\"\\d+\" ver=\"([^\"]+)\" rel=\"([^\"]+)\"")
                .matcher(primary);
        while (p.find()) {
            out.add(p.group(1) + "-" + p.group(3) + "-" + p.group(4) + "." + p.group(2));
        }
        out.sort(null);
        return out;
    }
}

package org.fedorabuild.hub.builder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.fedorabuild.process.Command;
import org.fedorabuild.compat.upload.UploadDigest;

/**
 * What the hub records of a built RPM: its header fields (read with {@code rpm -qp}), size, SHA-256, and the
 * header's SIGMD5, which Koji stores as {@code payloadhash} and koji download-build checks downloads against.
 */
public record RpmHeaders(Path file, String name, String version, String release, Integer epoch, String arch,
        String sourceRpm, long size, String sha256, String sigmd5) {

    public boolean isSource() {
        return arch.equals("src");
    }

    public String nvr() {
        return name + "-" + version + "-" + release;
    }

    public static RpmHeaders read(Path file) throws IOException {
        String out = Command.of("rpm", "-qp", "--nosignature", "--nodigest", "--qf",
                "%{NAME}\\t%{VERSION}\\t%{RELEASE}\\t%{EPOCH}\\t%{ARCH}\\t%{SOURCERPM}\\t%{SIGMD5}\\n", file.toString())
                .timeout(Duration.ofSeconds(60)).runChecked("reading the RPM header of " + file.getFileName())
                .stdout().trim();
        String[] f = out.split("\t", -1);
        if (f.length != 7) {
            throw new IOException("unexpected rpm -qp output for " + file.getFileName() + ": " + out);
        }
        boolean source = f[5].equals("(none)");
        Integer epoch = f[3].equals("(none)") ? null : Integer.valueOf(f[3]);
        return new RpmHeaders(file, f[0], f[1], f[2], epoch, source ? "src" : f[4], source ? null : f[5], Files.size(file),
                sha256(file), f[6]);
    }

    static String sha256(Path file) throws IOException {
        return UploadDigest.hex(file, "SHA-256");
    }
}

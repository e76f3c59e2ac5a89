package org.fedorabuild.hub.chain;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.builder.BuildBackend;
import org.fedorabuild.hub.builder.BuilderTransport;
import org.fedorabuild.hub.builder.Shell;
import org.fedorabuild.hub.sandbox.Sandbox;
import org.fedorabuild.hub.sandbox.SandboxLimits;

/**
 * Reads the BuildRequires (from the SRPM header) and the future provides (from the spec, with the chroot's
 * %dist) of SRPMs, on a builder and in its sandbox (no network): evaluating a spec runs its shell macros,
 * which must never happen on the hub nor outside a sandbox.
 */
public final class SrpmDependencies {
    private static final String SCRIPT = "srpm-deps.sh";

    private SrpmDependencies() {
    }

    /** @return one package per SRPM, keyed by its file name, in input order */
    public static List<SourcePackage> read(BuilderTransport transport, String workDir, List<Path> srpms, String chroot,
            Duration timeout) throws IOException {
        Path script = Files.createTempFile("srpm-deps", ".sh");
        try (InputStream in = SrpmDependencies.class.getResourceAsStream(SCRIPT)) {
            Files.write(script, in.readAllBytes());
            transport.run("rm -rf " + Shell.quote(workDir), java.io.OutputStream.nullOutputStream(), Duration.ofMinutes(2));
            transport.put(script, workDir + "/" + SCRIPT);
        } finally {
            Files.deleteIfExists(script);
        }
        List<String> names = new ArrayList<>();
        for (Path s : srpms) {
            transport.put(s, workDir + "/" + s.getFileName());
            names.add(Shell.quote(s.getFileName().toString()));
        }
        String dist = BuildBackend.distTag(chroot);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = transport.run(Sandbox.run(0, workDir, false, SandboxLimits.defaults(), timeout,
                "bash " + SCRIPT + " " + Shell.quote(dist == null ? "" : dist) + " " + String.join(" ", names)), out,
                timeout.plusMinutes(2));
        transport.run("rm -rf " + Shell.quote(workDir), java.io.OutputStream.nullOutputStream(), Duration.ofMinutes(2));
        if (status != 0) {
            throw new IOException("reading SRPM dependencies failed (exit " + status + "): " + out.toString(StandardCharsets.UTF_8));
        }
        return parse(out.toString(StandardCharsets.UTF_8));
    }

    /** Parses the script's output; an ERROR line fails the SRPM it follows, naming it. */
    static List<SourcePackage> parse(String output) throws IOException {
        Map<String, String[]> nevr = new LinkedHashMap<>();
        Map<String, List<Capability>> provides = new LinkedHashMap<>();
        Map<String, List<Capability>> requires = new LinkedHashMap<>();
        String current = null;
        for (String line : output.split("\n")) {
            if (line.startsWith("SRPM ")) {
                current = line.substring(5).strip();
                provides.put(current, new ArrayList<>());
                requires.put(current, new ArrayList<>());
            } else if (current == null) {
                continue;
            } else if (line.startsWith("ERROR ")) {
                throw new IOException(current + ": " + line.substring(6));
            } else if (line.startsWith("NEVR ")) {
                nevr.put(current, line.substring(5).strip().split(" "));
            } else if (line.startsWith("BR ") || line.startsWith("P ")) {
                String[] f = line.substring(line.indexOf(' ') + 1).split("\\|", -1);
                if (f.length != 3) {
                    continue;
                }
                Capability c = Capability.of(f[0], Integer.parseInt(f[1].isEmpty() ? "0" : f[1]), f[2]);
                (line.startsWith("BR ") ? requires : provides).get(current).add(c);
            }
        }
        List<SourcePackage> out = new ArrayList<>();
        for (String srpm : provides.keySet()) {
            String[] n = nevr.get(srpm);
            if (n == null || n.length != 4) {
                throw new IOException(srpm + ": no name/version in its header");
            }
            Evr evr = new Evr(Long.parseLong(n[1]), n[2], n[3]);
            out.add(new SourcePackage(srpm, n[0], evr, provides.get(srpm), requires.get(srpm)));
        }
        return out;
    }
}

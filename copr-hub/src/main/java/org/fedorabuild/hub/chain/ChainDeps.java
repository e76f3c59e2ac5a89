package org.fedorabuild.hub.chain;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.builder.BuilderTransport;
import org.fedorabuild.hub.task.TaskOutputs;

/**
 * The {@code readSrpmDeps [srpms, build_tag]} task of an unordered chain: on a builder (a spec's macros
 * are shell code and never run on the hub), each SRPM's BuildRequires from its header and the provides its
 * binary packages will have, from the spec with the chroot's %dist. Its result is one struct per SRPM:
 * {@code {srpm, name, epoch, version, release, provides, buildrequires}} with capabilities as
 * {@code NAME<TAB>FLAGS<TAB>EVR} strings (names may hold spaces: rich dependencies).
 */
public final class ChainDeps {
    public static final String METHOD = "readSrpmDeps";

    private ChainDeps() {
    }

    /** Runs the task; {@code req} = [work-relative SRPM paths, build tag]. */
    public static List<Object> run(BuilderTransport transport, String workDir, List<Object> req, TaskOutputs outputs,
            String chroot, OutputStream log, Duration timeout) throws IOException {
        List<Path> srpms = new ArrayList<>();
        Map<String, String> byName = new LinkedHashMap<>();
        for (Object o : (List<?>) req.get(0)) {
            Path p = outputs.resolve(String.valueOf(o));
            srpms.add(p);
            byName.put(p.getFileName().toString(), String.valueOf(o));
        }
        log.write(("copr-hub: reading the dependencies of " + srpms.size() + " SRPM(s) for " + chroot + " on "
                + transport.describe() + "\n").getBytes(StandardCharsets.UTF_8));
        List<Object> out = new ArrayList<>();
        for (SourcePackage p : SrpmDependencies.read(transport, workDir, srpms, chroot, timeout)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("srpm", byName.getOrDefault(p.key(), p.key()));
            m.put("name", p.name());
            m.put("epoch", (int) p.evr().epoch());
            m.put("version", p.evr().version());
            m.put("release", p.evr().release());
            m.put("provides", p.provides().stream().map(ChainDeps::encode).toList());
            m.put("buildrequires", p.buildRequires().stream().map(ChainDeps::encode).toList());
            out.add(m);
            log.write((p.nvr() + ": BuildRequires " + p.buildRequires() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** {@code NAME<TAB>FLAGS<TAB>EVR}: lossless, unlike {@link Capability#toString()} for rich dependencies. */
    public static String encode(Capability c) {
        return c.name() + "\t" + c.flags() + "\t" + (c.evr() == null ? "" : c.evr().toString());
    }

    public static Capability decode(String s) {
        String[] f = s.split("\t", -1);
        if (f.length != 3) {
            return Capability.unversioned(s);
        }
        int flags = Integer.parseInt(f[1]);
        return flags == 0 || f[2].isEmpty() ? Capability.unversioned(f[0]) : new Capability(f[0], flags, Evr.parse(f[2]));
    }
}

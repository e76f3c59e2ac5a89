package org.fedorabuild.hub.builder;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command that rebuilds an SRPM on a builder. Fedora builders have mock, which builds in a clean chroot
 * of the target release; where mock is absent the rpmbuild backend rebuilds against the builder's own
 * system. Either way the RPMs and logs end up in {@code results/} of the task directory.
 */
public enum BuildBackend {
    MOCK {
        @Override
        public String rebuildCommand(String chroot, String srpm) {
            return "mkdir -p results && mock -r " + Shell.quote(chroot) + " --rebuild " + Shell.quote(srpm)
                    + " --resultdir results";
        }
    },
    RPMBUILD {
        /**
         * Like kojid's rebuildSRPM + build: the SRPM is unpacked and rebuilt with the chroot's %dist, so the
         * new SRPM and the binary RPMs share one NVR (hello-1.0-1.fc40), as mock's results do.
         */
        @Override
        public String rebuildCommand(String chroot, String srpm) {
            String dist = distTag(chroot);
            String top = " --define \"_topdir $PWD/rpmbuild\"";
            return "mkdir -p results rpmbuild && rpm -i --nosignature" + top + " " + Shell.quote(srpm)
                    + " && rpmbuild -ba" + top + (dist == null ? "" : " --define " + Shell.quote("dist " + dist))
                    + " rpmbuild/SPECS/*.spec; rc=$?; "
                    + "find rpmbuild/RPMS rpmbuild/SRPMS -name '*.rpm' -exec mv -t results {} + 2>/dev/null; exit $rc";
        }
    };

    private static final Pattern RELEASE = Pattern.compile("(fedora|epel|centos-stream|rhel)-(\\d+)-.*");

    /** The shell command, run in the task directory holding {@code srpm}; results include the SRPM, as mock's do. */
    public abstract String rebuildCommand(String chroot, String srpm);

    /** The {@code %dist} a chroot's release uses ({@code fedora-40-x86_64} → {@code .fc40}), or null. */
    public static String distTag(String chroot) {
        Matcher m = RELEASE.matcher(chroot);
        if (!m.matches()) {
            return null;
        }
        return (m.group(1).equals("fedora") ? ".fc" : ".el") + m.group(2);
    }

    public static BuildBackend parse(String name) {
        for (BuildBackend b : values()) {
            if (b.name().equalsIgnoreCase(name)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown build backend '" + name + "', expected mock or rpmbuild");
    }
}

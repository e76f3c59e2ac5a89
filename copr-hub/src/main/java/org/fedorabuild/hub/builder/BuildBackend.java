package org.fedorabuild.hub.builder;

import java.util.List;
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
        public String rebuildCommand(String chroot, String srpm, List<String> repoUrls, List<String> extraPackages) {
            StringBuilder repos = new StringBuilder();
            repoUrls.forEach(u -> repos.append(" --addrepo=").append(Shell.quote(u)));
            // mock >= 2.13 installs these into the buildroot with the BuildRequires, as Copr's chroot_additional_packages
            extraPackages.forEach(p -> repos.append(" --additional-package=").append(Shell.quote(p)));
            return "mkdir -p results && mock -r " + Shell.quote(chroot) + repos + " --rebuild " + Shell.quote(srpm)
                    + " --resultdir results";
        }
    },
    RPMBUILD {
        /**
         * Like kojid's rebuildSRPM + build: the SRPM is unpacked and rebuilt with the chroot's %dist, so the
         * new SRPM and the binary RPMs share one NVR (hello-1.0-1.fc40), as mock's results do.
         *
         * <p>BuildRequires are checked against a private rpm database made for this build: a copy of the
         * builder's own (when it has one; Debian builders' is empty) plus the packages in {@code deps/} (the
         * project's published RPMs, so a chain's earlier results) and in {@code brdeps/} (what the hub fetched
         * from the build repositories for the BuildRequires and what those require), registered with
         * {@code --justdb}; their files are already in the build's root, which the sandbox lays over the system's
         * directories (copr-hub-sandbox), so registering is all that is left to do here. A missing
         * dependency fails the build naming it, as in a mock buildroot. The chroot's extra packages come the same
         * way (the hub fetches them from the build repositories); one that neither the builder's system nor a
         * build repository provides fails the build naming it, as mock's install of it would.
         */
        @Override
        public String rebuildCommand(String chroot, String srpm, List<String> repoUrls, List<String> extraPackages) {
            String dist = distTag(chroot);
            String top = " --define \"_topdir $PWD/rpmbuild\"";
            String db = " --dbpath \"$PWD/rpmdb\"";
            return "mkdir -p results rpmbuild rpmdb deps brdeps"
                    + " && { sys=$(rpm -E %_dbpath); if [ -n \"$(rpm -qa 2>/dev/null | head -1)\" ]; then cp -a \"$sys/.\" rpmdb/;"
                    + " else rpm --initdb" + db + "; fi; }"
                    + " && if [ -n \"$(ls deps/*.rpm brdeps/*.rpm 2>/dev/null)\" ]; then rpm -i --justdb --nodeps --noscripts --notriggers --nosignature --ignoresize"
                    + " --ignorearch --ignoreos --replacepkgs --replacefiles" + db + " $(ls deps/*.rpm brdeps/*.rpm 2>/dev/null); fi"
                    + extraCheck(extraPackages, db)
                    + " && rpm -i --nosignature" + top + " " + Shell.quote(srpm)
                    + " && rpmbuild -ba" + top + " --define \"_dbpath $PWD/rpmdb\""
                    + (dist == null ? "" : " --define " + Shell.quote("dist " + dist))
                    + " rpmbuild/SPECS/*.spec; rc=$?; "
                    + "find rpmbuild/RPMS rpmbuild/SRPMS -name '*.rpm' -exec mv -t results {} + 2>/dev/null; "
                    + PACKAGE_STATE + " exit $rc";
        }
    };

    /**
     * The buildroot record, as mock's package_state plugin writes it: {@code installed_pkgs.log} (the build's
     * rpm database: NEVRA, build time, size, SIGMD5, install time) and {@code available_pkgs.log} (what its
     * repositories offered: the project's packages in {@code deps/}, then the builder's own system; NEVRA,
     * build time, size, SIGMD5, repository).
     */
    static final String PACKAGE_STATE = "q='%{NAME}-%{EPOCHNUM}:%{VERSION}-%{RELEASE}.%{ARCH} %{BUILDTIME} %{SIZE} %{SIGMD5}';"
            + " rpm -qa --dbpath \"$PWD/rpmdb\" --qf \"$q %{INSTALLTIME}\\n\" 2>/dev/null | sort > results/installed_pkgs.log;"
            + " { if ls deps/*.rpm >/dev/null 2>&1; then rpm -qp --nosignature --nodigest --qf \"$q copr-project\\n\" deps/*.rpm;"
            + " fi; if ls brdeps/*.rpm >/dev/null 2>&1; then rpm -qp --nosignature --nodigest --qf \"$q build-repo\\n\" brdeps/*.rpm;"
            + " fi; rpm -qa --qf \"$q base\\n\" 2>/dev/null; } > results/available_pkgs.log;";

    /** Fails the command unless the build's rpm database provides each of the chroot's extra packages. */
    private static String extraCheck(List<String> extraPackages, String db) {
        StringBuilder b = new StringBuilder();
        for (String p : extraPackages) {
            b.append(" && { rpm -q --whatprovides").append(db).append(' ').append(Shell.quote(p)).append(" >/dev/null 2>&1")
                    .append(" || { echo ").append(Shell.quote("copr-hub: extra package " + p + " of the chroot is neither on the"
                            + " builder nor in a build repository")).append("; false; }; }");
        }
        return b.toString();
    }

    private static final Pattern RELEASE = Pattern.compile("(fedora|epel|centos-stream|rhel)-(\\d+)-.*");

    /**
     * The shell command, run in the task directory holding {@code srpm} (and {@code deps/} with buildroot
     * RPMs for the rpmbuild backend); results include the SRPM, as mock's do.
     *
     * @param repoUrls extra repositories for the buildroot (the project's own, a chain's extra repos)
     */
    public String rebuildCommand(String chroot, String srpm, List<String> repoUrls) {
        return rebuildCommand(chroot, srpm, repoUrls, List.of());
    }

    /** @param extraPackages the chroot's extra packages, installed into the buildroot besides the BuildRequires */
    public abstract String rebuildCommand(String chroot, String srpm, List<String> repoUrls, List<String> extraPackages);

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

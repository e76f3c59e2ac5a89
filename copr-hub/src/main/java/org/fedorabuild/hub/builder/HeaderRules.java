package org.fedorabuild.hub.builder;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a builder hands back is checked before any of it becomes a path or a record: the builder ran the
 * packager's spec, which can leave any file in its results. Names, versions, releases and arches must
 * follow rpm's rules (rpmbuild's allowed characters, no {@code -} in version or release, no path
 * separators, no leading dot, so never {@code .} or {@code ..}); each file must be named
 * {@code N-V-R.ARCH.rpm} after its own header; the source package must be the submitted one (same name
 * and version) and every binary package must come from that source package.
 */
public final class HeaderRules {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_+][A-Za-z0-9._+-]{0,199}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_+~^][A-Za-z0-9._+~^]{0,99}");
    private static final Pattern ARCH = Pattern.compile("[A-Za-z0-9_]{1,32}");

    private HeaderRules() {
    }

    /** @throws IllegalArgumentException naming the field, the value and the rule */
    public static void check(RpmHeaders h) {
        String file = h.file().getFileName().toString();
        field(file, "name", h.name(), NAME, "letters, digits and ._+- (not starting with . or -)");
        field(file, "version", h.version(), VERSION, "letters, digits and ._+~^ (no -, not starting with .)");
        field(file, "release", h.release(), VERSION, "letters, digits and ._+~^ (no -, not starting with .)");
        field(file, "arch", h.arch(), ARCH, "letters, digits and _");
        String expected = h.nvr() + "." + h.arch() + ".rpm";
        if (!file.equals(expected)) {
            throw new IllegalArgumentException("result " + file + " is not named after its header (" + expected + ")");
        }
    }

    /**
     * Every package of one buildArch against each other and against the submitted SRPM's header.
     *
     * @param submitted the SRPM the build was given, or null when it cannot be read
     */
    public static void checkBuild(List<RpmHeaders> rpms, RpmHeaders submitted) {
        rpms.forEach(HeaderRules::check);
        RpmHeaders src = rpms.stream().filter(RpmHeaders::isSource).findFirst().orElse(null);
        if (rpms.stream().filter(RpmHeaders::isSource).count() > 1) {
            throw new IllegalArgumentException("the build produced more than one source package");
        }
        if (submitted != null && src != null && (!src.name().equals(submitted.name()) || !src.version().equals(submitted.version()))) {
            throw new IllegalArgumentException("source package " + src.file().getFileName() + " is not the submitted "
                    + submitted.name() + " " + submitted.version());
        }
        for (RpmHeaders h : rpms) {
            if (h.isSource()) {
                continue;
            }
            String from = h.sourceRpm() == null ? "" : h.sourceRpm();
            boolean ok = src != null ? from.equals(src.nvr() + ".src.rpm")
                    : submitted != null && from.startsWith(submitted.name() + "-" + submitted.version() + "-") && from.endsWith(".src.rpm")
                            && VERSION.matcher(from.substring(submitted.name().length() + submitted.version().length() + 2,
                                    from.length() - ".src.rpm".length())).matches();
            if (!ok) {
                throw new IllegalArgumentException("package " + h.file().getFileName() + " names source package '" + from
                        + "', not the one this build made" + (submitted == null ? "" : " from " + submitted.name()));
            }
        }
    }

    private static void field(String file, String what, String value, Pattern rule, String expected) {
        if (value == null || !rule.matcher(value).matches()) {
            throw new IllegalArgumentException("package " + file + " has an invalid " + what + " '" + value + "' in its header,"
                    + " expected " + expected);
        }
    }
}

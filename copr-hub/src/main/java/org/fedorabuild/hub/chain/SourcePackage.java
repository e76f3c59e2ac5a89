package org.fedorabuild.hub.chain;

import java.util.List;

/**
 * What the chain planner knows of one source package: its name and EVR, the capabilities its binary
 * packages will provide (package names and virtual provides, from its spec) and its BuildRequires (from
 * the SRPM header).
 *
 * @param key the caller's handle (an SRPM path, an SCM URL, a task id)
 */
public record SourcePackage(String key, String name, Evr evr, List<Capability> provides, List<Capability> buildRequires) {
    public SourcePackage {
        provides = List.copyOf(provides);
        buildRequires = List.copyOf(buildRequires);
    }

    /** {@code name-version-release}. */
    public String nvr() {
        if (evr.version().isEmpty()) {
            return name; // a source known by its name only (an SCM URL of a Koji chain level)
        }
        return name + "-" + evr.version() + (evr.release() == null ? "" : "-" + evr.release());
    }
}

package org.fedorabuild.hub.build;

/**
 * One chroot a build runs in.
 *
 * @param id    project_chroots.id
 * @param name  e.g. {@code fedora-40-x86_64}
 * @param arch  its architecture (the buildArch task's arch)
 * @param tagId the chroot's Koji tag (buildArch's {@code root})
 */
public record Chroot(int id, String name, String arch, int tagId) {
}

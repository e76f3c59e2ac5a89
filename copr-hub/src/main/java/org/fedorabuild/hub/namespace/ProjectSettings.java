package org.fedorabuild.hub.namespace;

import java.time.Instant;
import java.util.List;

/** The self-service view of projects: what a form or an API call sends, and what it reads back. */
public final class ProjectSettings {
    private ProjectSettings() {
    }

    /**
     * Fields of a create or modify request. A null field is "not given": the default on create (no
     * description, no instructions, no build repos, network off, listed), unchanged on modify. {@code chroots}
     * is the complete wanted set: on modify, chroots left out are disabled (their builds and results stay).
     */
    public record Input(String description, String instructions, List<String> chroots, List<String> repos, Boolean enableNet,
            Boolean unlisted) {
        public static Input empty() {
            return new Input(null, null, null, null, null, null);
        }

        public Input withChroots(List<String> c) {
            return new Input(description, instructions, c, repos, enableNet, unlisted);
        }
    }

    /** A live project as the pages and the API show it; {@code chroots} are the enabled ones, by name. */
    public record View(int id, CoprName name, String description, String instructions, List<String> chroots, List<String> repos,
            boolean enableNet, boolean unlisted, Instant created) {
    }

    /** One chroot of a project and its buildroot extras (Copr's additional_packages and additional_repos). */
    public record Chroot(CoprName project, String name, List<String> packages, List<String> repos, boolean enabled) {
    }
}

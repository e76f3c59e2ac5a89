package org.fedorabuild.hub.web;

import java.util.Optional;

/**
 * What every page template receives as {@code ctx} besides its own parameters: the visitor and the path,
 * for the layout's navigation (and, later, sign-in state and form tokens).
 */
public record PageContext(String path, Optional<WebUser> user) {
    public boolean at(String prefix) {
        return path.startsWith(prefix);
    }
}

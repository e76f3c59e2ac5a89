package org.fedorabuild.hub.web;

import java.util.Optional;
import org.eclipse.jetty.server.Request;

/**
 * The hook where sign-in attaches a user to a page request (sessions and CSRF live behind it). The
 * router asks it once per request, before the page runs; {@link #ANONYMOUS} is the default.
 */
@FunctionalInterface
public interface SignIn {
    SignIn ANONYMOUS = request -> Optional.empty();

    /** The signed-in user of this request, or empty; must not throw for a missing or bad cookie. */
    Optional<WebUser> user(Request request);
}

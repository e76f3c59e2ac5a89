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

    /**
     * Called before every page that is not GET or HEAD: refuses (with an {@link HttpError}, 403) a request
     * that did not come from one of this hub's own forms (CSRF). The default accepts none.
     */
    default void checkForm(Request request) {
        throw new HttpError(403, "This hub takes no form posts without sign-in support.");
    }
}

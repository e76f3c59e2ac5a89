package org.fedorabuild.hub.web.account;

import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.fedorabuild.hub.account.Accounts;
import org.fedorabuild.hub.account.WebSessions;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.web.SignIn;
import org.fedorabuild.hub.web.WebUser;

/** The pages' {@link SignIn}: the web session of the request's cookie, and the CSRF check of every form post. */
public final class SessionSignIn implements SignIn {
    private final Accounts accounts;
    private final Users users;

    public SessionSignIn(Accounts accounts, Users users) {
        this.accounts = accounts;
        this.users = users;
    }

    @Override
    public Optional<WebUser> user(Request request) {
        return Forms.cookie(request, WebSessions.COOKIE).flatMap(accounts.sessions::lookup)
                .map(s -> new WebUser(s.userId(), s.name(), users.hasPerm(s.userId(), "admin")));
    }

    @Override
    public void checkForm(Request request) {
        Forms.check(request);
    }
}

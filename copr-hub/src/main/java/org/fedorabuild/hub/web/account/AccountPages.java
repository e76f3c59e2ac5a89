package org.fedorabuild.hub.web.account;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedorabuild.hub.account.Accounts;
import org.fedorabuild.hub.account.WebSessions;
import org.fedorabuild.hub.web.HttpError;
import org.fedorabuild.hub.web.Router;
import org.fedorabuild.hub.web.Row;
import org.fedorabuild.hub.web.WebRequest;
import org.fedorabuild.hub.web.WebResponse;

/**
 * Sign-in ({@code /login}), sign-out ({@code /logout}), sign-up ({@code /signup}, when {@code [web] Signup = open})
 * and the API tokens page ({@code /api/}: the same tokens {@code copr-hub token new} makes, for the koji CLI).
 */
public final class AccountPages implements Router.PageSet {
    static final int DEFAULT_TOKEN_DAYS = 180;

    private final Accounts accounts;

    public AccountPages(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public void register(Router r) {
        r.get("/login", this::loginForm).post("/login", this::login);
        r.get("/logout", this::logoutForm).post("/logout", this::logout);
        r.get("/signup", this::signupForm).post("/signup", this::signup);
        r.get("/api/", this::tokens).post("/api/", this::tokenAction);
    }

    WebResponse loginForm(WebRequest req) {
        return login(req, null, 200);
    }

    private WebResponse login(WebRequest req, String error, int status) {
        Forms.Token t = Forms.token(req);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("csrf", t.value());
        p.put("next", Forms.safeNext(req.param("next").or(() -> req.form("next")).orElse(null)));
        p.put("username", req.form("username").orElse(""));
        p.put("error", error);
        p.put("signup", accounts.settings().signupOpen());
        return t.apply(WebResponse.page("account/login.jte", p).status(status));
    }

    WebResponse login(WebRequest req) {
        String user = req.form("username").orElse("");
        String password = rawField(req, "password");
        var result = accounts.signIn(user, password, Forms.address(req.jetty()));
        if (!result.ok()) {
            WebResponse r = login(req, result.error(), result.retryAfter() != null ? 429 : 401);
            return result.retryAfter() == null ? r : r.header("Retry-After", String.valueOf(result.retryAfter().toSeconds()));
        }
        String next = Forms.safeNext(req.form("next").orElse(null));
        return WebResponse.redirect(next).header("Set-Cookie", Forms.cookieHeader(req.jetty(), WebSessions.COOKIE, result.session(),
                accounts.sessions.lifetime().toSeconds()));
    }

    WebResponse logoutForm(WebRequest req) {
        Forms.Token t = Forms.token(req);
        return t.apply(WebResponse.page("account/logout.jte", Map.of("csrf", t.value())));
    }

    WebResponse logout(WebRequest req) {
        Forms.cookie(req.jetty(), WebSessions.COOKIE).flatMap(accounts.sessions::lookup)
                .ifPresent(s -> accounts.sessions.revoke(s.sessionId()));
        return WebResponse.redirect("/coprs/").header("Set-Cookie", Forms.cookieHeader(req.jetty(), WebSessions.COOKIE, "", 0));
    }

    WebResponse signupForm(WebRequest req) {
        return signup(req, null, 200);
    }

    private WebResponse signup(WebRequest req, String error, int status) {
        if (!accounts.settings().signupOpen()) {
            throw HttpError.notFound("Sign-up is closed on this hub; ask its admins for an account.");
        }
        Forms.Token t = Forms.token(req);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("csrf", t.value());
        p.put("username", req.form("username").orElse(""));
        p.put("error", error);
        return t.apply(WebResponse.page("account/signup.jte", p).status(status));
    }

    WebResponse signup(WebRequest req) {
        if (!accounts.settings().signupOpen()) {
            throw HttpError.notFound("Sign-up is closed on this hub; ask its admins for an account.");
        }
        String user = req.form("username").orElse("");
        String password = rawField(req, "password");
        var problem = accounts.signUp(user, password, rawField(req, "password2"), Forms.address(req.jetty()));
        if (problem.isPresent()) {
            return signup(req, problem.get(), 400);
        }
        var result = accounts.signIn(user, password, Forms.address(req.jetty()));
        if (!result.ok()) {
            return WebResponse.redirect("/login");
        }
        return WebResponse.redirect("/coprs/" + user + "/").header("Set-Cookie", Forms.cookieHeader(req.jetty(), WebSessions.COOKIE,
                result.session(), accounts.sessions.lifetime().toSeconds()));
    }

    WebResponse tokens(WebRequest req) {
        if (req.user().isEmpty()) {
            return Forms.toLogin(req);
        }
        return tokensPage(req, null, null, 200);
    }

    private WebResponse tokensPage(WebRequest req, String created, String error, int status) {
        int uid = req.user().get().id();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("csrf", Forms.token(req).value());
        p.put("tokens", Row.of(accounts.tokens.list(uid)));
        p.put("created", created);
        p.put("error", error);
        p.put("user", req.user().get().name());
        p.put("hub", req.jetty().getHttpURI().getScheme() + "://" + req.jetty().getHttpURI().getAuthority() + "/kojihub");
        p.put("days", DEFAULT_TOKEN_DAYS);
        return WebResponse.page("account/api.jte", p).status(status).header("Cache-Control", "no-store");
    }

    WebResponse tokenAction(WebRequest req) {
        if (req.user().isEmpty()) {
            throw new HttpError(403, "Sign in to manage API tokens.");
        }
        int uid = req.user().get().id();
        String action = req.form("action").orElse("");
        if (action.equals("revoke")) {
            int id;
            try {
                id = Integer.parseInt(req.form("id").orElse(""));
            } catch (NumberFormatException e) {
                throw HttpError.badRequest("bad token id '" + req.form("id").orElse("") + "': expected a number");
            }
            if (!accounts.tokens.revoke(uid, id)) {
                throw HttpError.notFound("You have no token " + id + ".");
            }
            return WebResponse.redirect("/api/");
        }
        if (!action.equals("create")) {
            throw HttpError.badRequest("unknown action '" + action + "': expected create or revoke");
        }
        String name = req.form("name").orElse("");
        long days;
        try {
            days = Long.parseLong(req.form("days").orElse(String.valueOf(DEFAULT_TOKEN_DAYS)));
        } catch (NumberFormatException e) {
            days = -1;
        }
        if (name.isEmpty() || name.length() > 100) {
            return tokensPage(req, null, "A token needs a name of 1 to 100 characters.", 400);
        }
        if (days < 0 || days > 3650) {
            return tokensPage(req, null, "Expiry must be 0 (never) to 3650 days.", 400);
        }
        String token = accounts.tokens.create(uid, name, days == 0 ? null : Duration.ofDays(days));
        return tokensPage(req, token, null, 200);
    }

    /** A secret form field, taken as typed (not stripped) and bounded. */
    static String rawField(WebRequest req, String name) {
        try {
            String v = org.eclipse.jetty.server.FormFields.getFields(req.jetty()).getValue(name);
            if (v != null && v.length() > 1024) {
                throw HttpError.badRequest(name + " is longer than 1024 characters");
            }
            return v == null ? "" : v;
        } catch (IllegalStateException e) {
            throw HttpError.badRequest("unreadable form: " + e.getMessage());
        }
    }
}

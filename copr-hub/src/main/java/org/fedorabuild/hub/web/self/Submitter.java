package org.fedorabuild.hub.web.self;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.hub.auth.Caller;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.namespace.ProjectSettings;
import org.fedorabuild.hub.server.HubServices;
import org.fedorabuild.hub.web.HttpError;
import org.fedorabuild.hub.web.WebUser;
import org.fedorabuild.hub.web.copr.CoprLinks;

/**
 * Submits builds from the pages through the Koji API's own services (the same permission checks, task trees
 * and chain planner as {@code koji build} and {@code copr-hub chain}), as the signed-in user. One source is one
 * build; several are one chain built in dependency order. Answers where the browser goes next.
 */
final class Submitter {
    /** Copr's per-build chroot subset (the option the Copr API uses too). */
    static final String CHROOTS_OPT = org.fedorabuild.hub.build.BuildSubmission.CHROOTS_OPT;
    static final int MAX_SOURCES = 50;

    private final HubServices s;

    Submitter(HubServices s) {
        this.s = s;
    }

    static CallContext context(WebUser u, String address) {
        CallContext ctx = new CallContext(null, address, null, false);
        // Signed in on the web: no Koji session exists, the id 0 stands for none.
        ctx.attach(Caller.class, new Caller(0, u.id(), u.name(), Users.NORMAL, 0, false, null, false));
        return ctx;
    }

    /** @return the path of the new build's page, or the chain's task page */
    String submit(WebUser u, String address, ProjectSettings.View p, List<String> sources, List<String> chroots) throws Exception {
        if (sources.isEmpty()) {
            throw HttpError.badRequest("Give at least one source.");
        }
        if (sources.size() > MAX_SOURCES) {
            throw HttpError.badRequest(sources.size() + " sources in one submission; at most " + MAX_SOURCES + ".");
        }
        Map<String, Object> opts = new LinkedHashMap<>();
        if (!chroots.isEmpty() && !chroots.containsAll(p.chroots())) {
            for (String c : chroots) {
                if (!p.chroots().contains(c)) {
                    throw HttpError.badRequest("Chroot " + c + " is not one of the project's (" + String.join(", ", p.chroots()) + ").");
                }
            }
            opts.put(CHROOTS_OPT, new ArrayList<>(chroots));
        }
        CallContext ctx = context(u, address);
        String target = p.name().tagName();
        if (sources.size() == 1) {
            int id = s.db.inTransaction(() -> s.submission.build(ctx, sources.get(0), target, opts, null, null));
            return CoprLinks.build(p.name().owner(), p.name().project(), id);
        }
        int chain = s.db.inTransaction(() -> s.chains.coprChainBuild(ctx, new ArrayList<>(sources), target, opts, null));
        return "/koji/taskinfo?taskID=" + chain;
    }

    /** A refusal of the Koji services as the page's answer: permissions are 403, anything else the form's error. */
    static String problem(KojiFault f) {
        if (f instanceof KojiFault.ActionNotAllowed) {
            throw new HttpError(403, f.getMessage());
        }
        return f.getMessage();
    }
}

package org.fedorabuild.hub.coprapi;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.fedorabuild.hub.namespace.CoprName;
import org.fedorabuild.hub.namespace.ProjectError;
import org.fedorabuild.hub.namespace.ProjectSettings.View;
import org.fedorabuild.hub.namespace.SelfService;
import org.fedorabuild.hub.server.HubServices;

/**
 * The route {@code dnf copr enable HUB/OWNER/PROJECT [CHROOT]} fetches: {@code /coprs/OWNER/PROJECT/repo/RELEASE/FILE?arch=A}
 * ({@code @GROUP} or {@code /coprs/g/GROUP/…} for groups), answered with the .repo for the project's chroot
 * {@code RELEASE-ARCH} (without an arch, the first chroot starting with RELEASE), as Copr's frontend does. A missing
 * chroot is 404 with the {@code Copr-Error-Data} header the dnf plugin reads to list the available ones. Every other
 * {@code /coprs/} path is left to the web pages.
 */
public final class DnfRepoHandler extends Handler.Abstract {
    private final HubServices services;

    public DnfRepoHandler(HubServices services) {
        this.services = services;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!path.startsWith("/coprs/")) {
            return false;
        }
        List<String> p = List.of(path.substring("/coprs/".length()).split("/"));
        int at = p.size() >= 4 && p.get(0).equals("g") ? 1 : 0;
        if (p.size() < at + 4 || p.size() > at + 5 || !p.get(at + 2).equals("repo")) {
            return false;
        }
        String owner = at == 1 ? "@" + p.get(1) : p.get(0);
        String release = p.get(at + 3);
        String a = Request.extractQueryParameters(request, StandardCharsets.UTF_8).getValue("arch");
        String arch = a == null || a.isEmpty() ? null : a;
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            Response.writeError(request, response, callback, 405);
            return true;
        }
        View project;
        try {
            project = services.db.inTransaction(() -> services.selfService.require(SelfService.name(owner, p.get(at + 1))));
        } catch (ProjectError e) {
            text(response, callback, 404, e.getMessage() + "\n");
            return true;
        }
        String wanted = arch == null ? release : release + "-" + arch;
        // RELEASE-ARCH exactly; without an arch, the first chroot of that release (or RELEASE naming a whole chroot)
        String chroot = project.chroots().stream().filter(c -> c.equals(wanted) || arch == null && c.replaceFirst("-[^-]+$", "").equals(release))
                .findFirst().orElse(null);
        if (chroot == null) {
            String data = CoprApiHandler.JSON.writeValueAsString(java.util.Map.of("available chroots", project.chroots()));
            response.getHeaders().put("Copr-Error-Data", Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8)));
            text(response, callback, 404, "Chroot " + ApiRequest.shorten(wanted) + " does not exist in " + project.name()
                    + ".\nAvailable chroots:\n" + String.join("\n", project.chroots()) + "\n");
            return true;
        }
        response.getHeaders().put("Content-Disposition", "filename=" + repoName(project.name()) + ".repo");
        text(response, callback, 200, repoFile(project, chroot));
        return true;
    }

    /** Copr's repo file name, {@code OWNER-PROJECT} ({@code group_NAME-PROJECT}). */
    static String repoName(CoprName n) {
        return (n.groupOwned() ? "group_" + n.owner().substring(1) : n.owner()) + "-" + n.project();
    }

    /**
     * The .repo: id {@code copr:HOST:OWNER:PROJECT} (dnf names the file after it), baseurl with {@code $releasever} for
     * the distributions whose versions dnf knows and {@code $basearch}. Packages are not signed here, so gpgcheck is off.
     */
    String repoFile(View p, String chroot) {
        String[] parts = chroot.split("-");
        String os = String.join("-", java.util.Arrays.copyOf(parts, parts.length - 2));
        String version = parts[parts.length - 2];
        boolean releasever = List.of("fedora", "centos-stream", "opensuse-leap").contains(os) || os.equals("mageia") && !version.equals("cauldron");
        String base = services.config.publicUrl();
        String host = URI.create(base).getHost();
        String owner = p.name().groupOwned() ? "group_" + p.name().owner().substring(1) : p.name().owner();
        return "[copr:" + host + ":" + owner + ":" + p.name().project() + "]\n"
                + "name=Copr repo for " + p.name().project() + " owned by " + p.name().owner() + "\n"
                + "baseurl=" + base + "/results/" + p.name().owner() + "/" + p.name().project() + "/" + os + "-"
                + (releasever ? "$releasever" : version) + "-$basearch/\n"
                + "type=rpm-md\nskip_if_unavailable=True\ngpgcheck=0\nrepo_gpgcheck=0\nenabled=1\nenabled_metadata=1\n";
    }

    private static void text(Response response, Callback callback, int status, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, b.length);
        response.write(true, java.nio.ByteBuffer.wrap(b), callback);
    }
}

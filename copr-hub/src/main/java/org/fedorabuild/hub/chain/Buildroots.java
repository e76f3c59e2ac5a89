package org.fedorabuild.hub.chain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.db.Db;

/**
 * What a buildArch's buildroot sees besides the chroot's own distribution: the project's chroot repository
 * as published (so a chain's earlier results, regenerated before its dependants start), the project's extra
 * repositories and a chain's ({@code opts.copr_extra_repos}), like mockchain's {@code -a URL}. For the
 * rpmbuild backend, which cannot use repositories, the published RPMs themselves (the newest build of each
 * package of that chroot), registered in the build's private rpm database.
 */
public final class Buildroots {
    /** Build opts key carrying a chain's extra repositories to its members' buildArch tasks. */
    public static final String EXTRA_REPOS_OPT = "copr_extra_repos";

    private final Db db;
    private final Path storageRoot;
    private final String publicUrl;

    /**
     * What one build gets.
     *
     * @param extraPackages the chroot's extra packages ({@code copr-cli edit-chroot --packages}), installed into
     *     every buildroot besides the SRPM's BuildRequires
     */
    public record Buildroot(List<Path> rpms, List<String> repoUrls, List<String> extraPackages) {
        public Buildroot(List<Path> rpms, List<String> repoUrls) {
            this(rpms, repoUrls, List.of());
        }
    }

    public Buildroots(Db db, Path storageRoot, String publicUrl) {
        this.db = db;
        this.storageRoot = storageRoot.toAbsolutePath().normalize();
        this.publicUrl = publicUrl;
    }

    /** For a buildArch in chroot tag {@code tagId} with these build opts. */
    public Buildroot forChrootTag(int tagId, Map<?, ?> opts) {
        var c = db.queryOne("SELECT pc.id, pc.name, p.name AS project, u.name AS owner, array_to_string(p.extra_repos, E'\\n') AS extra_repos,"
                + " array_to_string(pc.extra_repos, E'\\n') AS chroot_repos, array_to_string(pc.extra_packages, E'\\n') AS chroot_packages FROM tags t"
                + " JOIN project_chroots pc ON pc.id = t.chroot_id JOIN projects p ON p.id = pc.project_id"
                + " JOIN users u ON u.id = p.owner_id WHERE t.id = ?", tagId).orElse(null);
        if (c == null) {
            return new Buildroot(List.of(), List.of());
        }
        LinkedHashSet<String> urls = new LinkedHashSet<>();
        String rel = c.get("owner") + "/" + c.get("project") + "/" + c.get("name");
        if (publicUrl != null && Files.isRegularFile(storageRoot.resolve(rel).resolve("repodata/repomd.xml"))) {
            urls.add(publicUrl + "/results/" + rel + "/");
        }
        // checked again here, whatever stored them: one rule for every repository a buildroot sees
        lines(c.get("extra_repos")).forEach(u -> urls.add(org.fedorabuild.hub.build.BuildPolicy.repoUrl(u)));
        // and the chroot's own (copr-cli edit-chroot --repos, the web's chroot settings)
        lines(c.get("chroot_repos")).forEach(u -> urls.add(org.fedorabuild.hub.build.BuildPolicy.repoUrl(u)));
        if (opts != null && opts.get(EXTRA_REPOS_OPT) instanceof List<?> l) {
            l.forEach(u -> urls.add(org.fedorabuild.hub.build.BuildPolicy.repoUrl(u)));
        }
        List<Path> rpms = new ArrayList<>();
        for (var r : db.query("SELECT r.path FROM rpms r JOIN build_results br ON br.build_id = r.build_id AND br.published"
                + " WHERE r.arch <> 'src' AND r.build_id IN (SELECT max(b.id) FROM builds b JOIN build_results br2"
                + " ON br2.build_id = b.id AND br2.published WHERE b.chroot_id = ? AND b.state = 1 GROUP BY b.package_id)"
                + " ORDER BY r.path", c.get("id"))) {
            Path p = storageRoot.resolve((String) r.get("path"));
            if (Files.isRegularFile(p)) {
                rpms.add(p);
            }
        }
        return new Buildroot(rpms, List.copyOf(urls), lines(c.get("chroot_packages")));
    }

    /** An {@code array_to_string(a, E'\\n')} column as a list. */
    static List<String> lines(Object text) {
        return text == null || ((String) text).isEmpty() ? List.of() : List.of(((String) text).split("\n"));
    }
}

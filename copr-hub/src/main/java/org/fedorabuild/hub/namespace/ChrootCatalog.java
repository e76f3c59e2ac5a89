package org.fedorabuild.hub.namespace;

import java.util.ArrayList;
import java.util.List;
import org.fedorabuild.hub.db.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chroots this hub offers to contributors (table {@code chroot_catalog}): admins add and disable them
 * ({@code copr-hub chroot add|disable}); self-service users may only pick enabled ones. Disabling never
 * touches existing projects: their chroots keep building, only new selections are refused.
 */
public final class ChrootCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(ChrootCatalog.class);

    private final Db db;

    /** One catalog row. */
    public record Entry(String name, String arch, boolean enabled) {
    }

    public ChrootCatalog(Db db) {
        this.db = db;
    }

    /** Every entry (with {@code all}) or only the enabled ones, by name. */
    public List<Entry> list(boolean all) {
        List<Entry> out = new ArrayList<>();
        for (var r : db.query("SELECT name, arch, enabled FROM chroot_catalog WHERE enabled OR ? ORDER BY name", all)) {
            out.add(new Entry((String) r.get("name"), (String) r.get("arch"), (Boolean) r.get("enabled")));
        }
        return out;
    }

    public List<String> enabledNames() {
        return list(false).stream().map(Entry::name).toList();
    }

    public boolean isEnabled(String name) {
        return db.queryOne("SELECT 1 FROM chroot_catalog WHERE name = ? AND enabled", name).isPresent();
    }

    /** Adds the chroots, or enables them again; returns those that changed. */
    public List<String> add(List<String> names) {
        List<String> changed = new ArrayList<>();
        for (String n : names) {
            ProjectRules.chrootName("chroot", n);
            String arch = CoprName.chrootArch(n);
            if (db.update("INSERT INTO chroot_catalog (name, arch) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET enabled = true"
                    + " WHERE NOT chroot_catalog.enabled", n, arch) > 0) {
                changed.add(n);
                LOG.info("Chroot catalog - {} offered ({})", n, arch);
            }
        }
        return changed;
    }

    /** Disables catalog chroots; an unknown name is refused (a typo must not look like success). */
    public List<String> disable(List<String> names) {
        List<String> changed = new ArrayList<>();
        for (String n : names) {
            if (db.queryOne("SELECT 1 FROM chroot_catalog WHERE name = ?", n).isEmpty()) {
                throw ProjectError.notFound("chroot '" + ProjectRules.shorten(n) + "' is not in the catalog (copr-hub chroot list --all)");
            }
            if (db.update("UPDATE chroot_catalog SET enabled = false WHERE name = ? AND enabled", n) > 0) {
                changed.add(n);
                LOG.info("Chroot catalog - {} no longer offered", n);
            }
        }
        return changed;
    }

    /**
     * Checks that a user may add these chroots to a project: enabled catalog chroots for everyone, any
     * well-formed chroot for hub admins (as {@code copr-hub project create} allows).
     */
    public void checkChoosable(String field, List<String> chroots, boolean admin) {
        for (String c : chroots) {
            ProjectRules.chrootName(field, c);
            if (!admin && !isEnabled(c)) {
                throw ProjectError.invalid("Unexpected chroot: " + c + " (" + field + ": this hub offers "
                        + String.join(", ", enabledNames()) + ")");
            }
        }
    }
}

package org.fedorabuild.hub.retention;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.hub.db.Db;

/** A project's overrides of the {@code [retention]} policy ({@code project_retention} rows). */
public final class ProjectRetention {
    private final Db db;
    private final Policy hubPolicy;

    public ProjectRetention(Db db, Policy hubPolicy) {
        this.db = db;
        this.hubPolicy = hubPolicy;
    }

    public Map<String, String> overrides(int projectId) {
        Map<String, String> m = new LinkedHashMap<>();
        for (var r : db.query("SELECT key, value FROM project_retention WHERE project_id = ? ORDER BY key", projectId)) {
            m.put((String) r.get("key"), (String) r.get("value"));
        }
        return m;
    }

    public Policy effective(int projectId) {
        return hubPolicy.with(overrides(projectId));
    }

    /**
     * Sets {@code key=value} for the project; an empty value removes the override (the hub's value applies
     * again). Invalid keys or values are refused with the same messages as the config file's.
     */
    public void set(int projectId, String key, String value) {
        String k = key.strip().toLowerCase(java.util.Locale.ROOT);
        String problem = RetentionKeys.checkProjectOverride(k, value);
        if (problem != null) {
            throw new GenericError(problem);
        }
        if (value.isBlank()) {
            db.update("DELETE FROM project_retention WHERE project_id = ? AND key = ?", projectId, k);
        } else {
            db.update("INSERT INTO project_retention (project_id, key, value) VALUES (?, ?, ?)"
                    + " ON CONFLICT (project_id, key) DO UPDATE SET value = EXCLUDED.value", projectId, k, value.strip());
        }
    }
}

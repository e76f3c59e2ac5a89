package org.fedorabuild.hub.retention;

import java.util.Locale;

/** What happens to the logs of a pruned build or task: gzip them in place, delete them, or leave them. */
public enum LogAction {
    COMPRESS, REMOVE, KEEP;

    public static LogAction parse(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected compress, remove or keep, got '" + s.strip() + "'");
        }
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}

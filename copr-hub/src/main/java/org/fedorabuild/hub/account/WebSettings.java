package org.fedorabuild.hub.account;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.fedorabuild.compat.profile.ConfigKey;
import org.fedorabuild.compat.profile.IniFile;

/**
 * The account keys of the {@code [web] } section: {@code Signup = closed|open} (default closed: accounts are
 * made by admins with {@code copr-hub user add} and {@code user passwd}) and {@code SessionHours} (how long
 * a web sign-in lasts, default 24). Other {@code [web]} keys belong to the pages and are read there.
 */
public record WebSettings(boolean signupOpen, Duration sessionLifetime) {
    public static final String SECTION = "web";
    public static final List<String> KEYS = List.of("signup", "sessionhours");
    /** The one duration syntax of both daemons; a bare number stays hours, as this key always was. */
    static final ConfigKey<Duration> SESSION_HOURS = ConfigKey.duration("SessionHours", "24", "h", Duration.ofMinutes(1),
            Duration.ofHours(24 * 366), "how long a web sign-in lasts");
    public static final WebSettings DEFAULTS = new WebSettings(false, Duration.ofHours(24));

    /** Reads the keys above from {@code ini} (null: defaults), adding problems rather than throwing. */
    public static WebSettings load(IniFile ini, List<String> problems) {
        boolean open = DEFAULTS.signupOpen();
        Duration life = DEFAULTS.sessionLifetime();
        if (ini == null) {
            return DEFAULTS;
        }
        for (IniFile.Entry e : ini.section(SECTION).values()) {
            String key = e.key().strip().toLowerCase(Locale.ROOT);
            String v = e.value().strip().toLowerCase(Locale.ROOT);
            String where = ini.source() + ":" + e.line() + ": ";
            switch (key) {
                case "signup" -> {
                    if (!v.equals("open") && !v.equals("closed")) {
                        problems.add(where + "Signup: expected closed or open, got '" + e.value().strip() + "'");
                    }
                    open = v.equals("open");
                }
                case "sessionhours" -> {
                    try {
                        life = SESSION_HOURS.parse(v);
                    } catch (IllegalArgumentException x) {
                        problems.add(where + "SessionHours: expected a number of hours 1.." + 24 * 366
                                + " or a duration such as 90m or 7d, got '" + e.value().strip() + "'");
                    }
                }
                default -> {
                    // the pages' own [web] keys are checked by their loader
                }
            }
        }
        return new WebSettings(open, life);
    }
}

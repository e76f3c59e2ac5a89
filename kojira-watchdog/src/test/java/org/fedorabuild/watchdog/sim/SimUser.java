package org.fedorabuild.watchdog.sim;

import java.util.HashSet;
import java.util.Set;

/** A hub user: a person, a service (watchdog) or a host's own user (usertype 1, password = host name). */
public final class SimUser {
    public final long id;
    public final String name;
    final String password;
    public final Set<String> perms = new HashSet<>();
    final int usertype;

    SimUser(long id, String name, String password, int usertype) {
        this.id = id;
        this.name = name;
        this.password = password;
        this.usertype = usertype;
    }
}

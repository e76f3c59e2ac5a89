package org.fedorabuild.hub.cluster;

import java.time.Duration;

/**
 * How this hub process shares one database with others.
 *
 * @param instanceId names this process in {@code hub_leases} and {@code hub_instances}; unique among the hubs
 *                   of one database (two live processes with one id would take each other's builders)
 * @param lease      how long a builder (or an elected duty) stays with a hub that stopped renewing it;
 *                   failover of a killed hub's builders takes this plus one dispatch round
 */
public record ClusterSettings(String instanceId, Duration lease) {
    public static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}";

    /** {@code HOSTNAME:PORT} of the listener; with port 0 (any) the process id stands for the port. */
    public static String defaultInstanceId(int listenPort) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        host = host.replaceAll("[^A-Za-z0-9._-]", "-");
        if (host.isEmpty() || !Character.isLetterOrDigit(host.charAt(0))) {
            host = "hub" + host;
        }
        String id = host + ":" + (listenPort != 0 ? String.valueOf(listenPort) : "pid" + ProcessHandle.current().pid());
        return id.length() > 128 ? id.substring(id.length() - 128).replaceFirst("^[^A-Za-z0-9]+", "") : id;
    }
}

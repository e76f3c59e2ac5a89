package org.fedorabuild.hub.server;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most N open connections per client address on a connector: one more is closed as it opens, so one
 * client trickling many requests cannot take the connections and threads others (and {@code /health}) need.
 */
final class AddressLimit implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(AddressLimit.class);

    private final int max;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();
    /**
     * Each connection's address as it opened: once its socket is closed Jetty no longer knows the remote
     * address, and counting the close against another key would leak one slot per connection until the
     * address is locked out for good.
     */
    private final ConcurrentHashMap<Connection, String> keys = new ConcurrentHashMap<>();

    AddressLimit(int max) {
        this.max = max;
    }

    private static String key(Connection c) {
        SocketAddress a = c.getEndPoint().getRemoteSocketAddress();
        return a instanceof InetSocketAddress i && i.getAddress() != null ? i.getAddress().getHostAddress() : String.valueOf(a);
    }

    @Override
    public void onOpened(Connection connection) {
        String key = key(connection);
        keys.put(connection, key);
        int n = open.merge(key, 1, Integer::sum);
        if (n > max) {
            if (n == max + 1) {
                LOG.warn("Hub - {} has {} connections open, the limit (MaxConnectionsPerAddress); closing the new ones", key, max);
            }
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        String key = keys.remove(connection);
        if (key != null) {
            open.computeIfPresent(key, (k, v) -> v <= 1 ? null : v - 1);
        }
    }
}

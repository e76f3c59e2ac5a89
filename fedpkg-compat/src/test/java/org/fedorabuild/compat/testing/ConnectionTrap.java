package org.fedorabuild.compat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/** A loopback listener counting the connections it gets: an entity or DTD fetch by a parser shows up here. */
public final class ConnectionTrap implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    public ConnectionTrap() {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            socket.setSoTimeout(100);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::acceptLoop, "connection-trap");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                connections.incrementAndGet();
                s.close();
            } catch (SocketTimeoutException e) {
                // poll again
            } catch (IOException e) {
                return;
            }
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** {@code http://127.0.0.1:PORT/evil.dtd}. */
    public String url() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/evil.dtd";
    }

    /** Connections so far, after giving a late fetch a moment to arrive. */
    public int connections() throws InterruptedException {
        Thread.sleep(300);
        return connections.get();
    }

    @Override
    public void close() {
        try {
            socket.close();
            acceptor.join(2000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

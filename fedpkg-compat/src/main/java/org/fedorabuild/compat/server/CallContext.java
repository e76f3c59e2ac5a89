package org.fedorabuild.compat.server;

import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.fedorabuild.compat.session.SessionCredentials;

/**
 * What a hub method may know about the request it serves: the claimed session, the client address, the
 * TLS client certificate (when the connection had one) and whether the request came to the
 * {@code /ssllogin} path. A hub's {@link CallInterceptor} attaches its own objects (the authenticated
 * session, a transaction) for its methods to read.
 */
public final class CallContext {
    private final SessionCredentials credentials;
    private final String remoteAddress;
    private final X509Certificate clientCertificate;
    private final boolean sslLoginPath;
    private final Map<Class<?>, Object> attachments = new HashMap<>();

    public CallContext(SessionCredentials credentials, String remoteAddress, X509Certificate clientCertificate,
            boolean sslLoginPath) {
        this.credentials = credentials;
        this.remoteAddress = remoteAddress;
        this.clientCertificate = clientCertificate;
        this.sslLoginPath = sslLoginPath;
    }

    /** The session the request claims, not yet verified; empty for an anonymous request. */
    public Optional<SessionCredentials> credentials() {
        return Optional.ofNullable(credentials);
    }

    public String remoteAddress() {
        return remoteAddress;
    }

    /** The verified TLS client certificate, if the connection presented one. */
    public Optional<X509Certificate> clientCertificate() {
        return Optional.ofNullable(clientCertificate);
    }

    /** True when the request was POSTed to {@code <hub>/ssllogin}, where Koji clients send {@code sslLogin}. */
    public boolean sslLoginPath() {
        return sslLoginPath;
    }

    public <T> void attach(Class<T> type, T value) {
        attachments.put(type, value);
    }

    public <T> Optional<T> attachment(Class<T> type) {
        return Optional.ofNullable(type.cast(attachments.get(type)));
    }
}

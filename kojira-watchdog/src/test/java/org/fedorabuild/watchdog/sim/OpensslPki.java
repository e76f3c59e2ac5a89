package org.fedorabuild.watchdog.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.fedorabuild.compat.client.ClientTls;

/**
 * A throw-away PKI made with the {@code openssl} command, as a Koji admin makes one: a CA, the hub's
 * certificate for 127.0.0.1, and client certificates whose CN is the Koji user. Identities are written as
 * koji's {@code cert} option takes them: one PEM file with the certificate, then its unencrypted key, in
 * PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, what older Koji docs produce) or PKCS#8 ({@code BEGIN PRIVATE KEY},
 * OpenSSL 3's default).
 */
public final class OpensslPki {
    public enum KeyFormat { PKCS1, PKCS8 }

    private final Path dir;
    /** The CA certificate: the watchdog's {@code serverca}, and what the hub trusts client certificates to. */
    public final Path ca;

    /** Makes a new CA in {@code dir}. */
    public OpensslPki(Path dir, String caName) throws IOException, InterruptedException {
        this.dir = Files.createDirectories(dir);
        this.ca = dir.resolve("ca.crt");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
                "-subj", "/CN=" + caName);
    }

    /** The hub's identity for https://127.0.0.1 (SAN IP and DNS), key in PKCS#8. */
    public Path hubIdentity() throws IOException, InterruptedException {
        return issue("hub", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
                KeyFormat.PKCS8);
    }

    /** A client identity for the Koji user {@code cn}. */
    public Path clientIdentity(String cn, KeyFormat format) throws IOException, InterruptedException {
        return issue(cn + "-" + format.name().toLowerCase(), "/O=Fedora Project/CN=" + cn,
                "extendedKeyUsage=clientAuth\n", format);
    }

    /**
     * The hub's TLS context: its identity, and this CA for client certificates. compat's client-side
     * reader serves here too: a key manager and a trust manager are the same on either end.
     */
    public SSLContext hubContext() throws IOException, InterruptedException {
        return ClientTls.context(hubIdentity(), ca);
    }

    private Path issue(String name, String subject, String extensions, KeyFormat format)
            throws IOException, InterruptedException {
        Files.writeString(dir.resolve(name + ".ext"), extensions);
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".new.key", "-out", name + ".csr", "-subj", subject);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-extfile", name + ".ext", "-out", name + ".crt");
        if (format == KeyFormat.PKCS1) {
            openssl("rsa", "-in", name + ".new.key", "-traditional", "-out", name + ".key");
        } else {
            openssl("pkcs8", "-topk8", "-nocrypt", "-in", name + ".new.key", "-out", name + ".key");
        }
        String key = Files.readString(dir.resolve(name + ".key"));
        String expected = format == KeyFormat.PKCS1 ? "-----BEGIN RSA PRIVATE KEY-----" : "-----BEGIN PRIVATE KEY-----";
        if (!key.startsWith(expected)) {
            throw new IOException("openssl wrote " + key.lines().findFirst().orElse("nothing") + ", expected " + expected);
        }
        Path pem = dir.resolve(name + ".pem");
        Files.writeString(pem, Files.readString(dir.resolve(name + ".crt")) + key);
        return pem;
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        try {
            org.fedorabuild.process.Command.of(cmd).directory(dir).timeout(java.time.Duration.ofSeconds(60))
                    .runChecked("making test certificates");
        } catch (org.fedorabuild.process.CommandException e) {
            if (e.reason() == org.fedorabuild.process.CommandException.Reason.START_FAILED) {
                throw new IOException("this test needs the openssl command (Debian package openssl): " + e.getMessage(), e);
            }
            throw e;
        }
    }
}

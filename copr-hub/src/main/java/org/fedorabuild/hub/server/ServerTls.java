package org.fedorabuild.hub.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The hub's TLS identity and client-certificate trust from PEM files, as Koji's mod_ssl setup takes
 * them: server certificate (chain), its unencrypted key (PKCS#8 or PKCS#1), and the CA bundle client
 * certificates must chain to.
 */
final class ServerTls {
    private ServerTls() {
    }

    static SSLContext context(Path certPem, Path keyPem, Path clientCa) {
        try {
            List<Certificate> chain = certificates(certPem);
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("TLSCert " + certPem + " holds no PEM certificate");
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("hub", key(keyPem), new char[0], chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            if (clientCa == null) {
                // never the JDK's public CAs: sslLogin takes the user name from whatever certificate they vouch for
                throw new IllegalArgumentException("TLSClientCA is required with TLSListen");
            }
            TrustManagerFactory tmf;
            {
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                int i = 0;
                for (Certificate c : certificates(clientCa)) {
                    ts.setCertificateEntry("ca" + i++, c);
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot set up TLS from TLSCert " + certPem + ", TLSKey " + keyPem
                    + " and TLSClientCA " + clientCa + ": " + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
    }

    private static PrivateKey key(Path pem) throws IOException {
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        try (Reader r = Files.newBufferedReader(pem); PEMParser parser = new PEMParser(r)) {
            for (Object o; (o = parser.readObject()) != null; ) {
                if (o instanceof PEMKeyPair pair) {
                    return keys.getKeyPair(pair).getPrivate();
                }
                if (o instanceof PrivateKeyInfo info) {
                    return keys.getPrivateKey(info);
                }
            }
        }
        throw new IOException(pem + " holds no unencrypted private key (expected PKCS#8 or PKCS#1 PEM)");
    }
}

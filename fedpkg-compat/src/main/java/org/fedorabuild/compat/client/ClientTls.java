package org.fedorabuild.compat.client;

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
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.fedorabuild.compat.session.CertNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * TLS settings as a koji client profile gives them: {@code cert}, one PEM file holding the client
 * certificate (and any chain) and its private key in PKCS#8, PKCS#1 or SEC1 form, and {@code serverca}, a
 * PEM bundle of the CAs to trust for the hub (the JDK's own trust store when absent).
 */
public final class ClientTls {
    private ClientTls() {
    }

    public static SSLContext context(Path certPem, Path serverCa) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            KeyManagerFactory kmf = null;
            if (certPem != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                Identity id = readIdentity(certPem);
                ks.setKeyEntry("client", id.key(), new char[0], id.chain().toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
            }
            TrustManagerFactory tmf = null;
            if (serverCa != null) {
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                int i = 0;
                for (Certificate c : readCertificates(serverCa)) {
                    ts.setCertificateEntry("ca" + i++, c);
                }
                if (i == 0) {
                    throw new IllegalArgumentException("serverca " + serverCa + " holds no PEM certificate");
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
            }
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot set up TLS from cert " + certPem + " and serverca "
                    + serverCa + ": " + e.getMessage(), e);
        }
    }

    /** A client certificate chain and its key, read from one PEM file. */
    public record Identity(PrivateKey key, List<X509Certificate> chain) {
        /** The certificate's CN, which Koji takes as the user name. */
        public String commonName() {
            return CertNames.commonName(chain.get(0));
        }
    }

    public static Identity readIdentity(Path pem) throws IOException {
        PrivateKey key = null;
        List<X509Certificate> chain = new ArrayList<>();
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        JcaX509CertificateConverter certs = new JcaX509CertificateConverter();
        try (Reader r = Files.newBufferedReader(pem); PEMParser parser = new PEMParser(r)) {
            for (Object o; (o = parser.readObject()) != null; ) {
                if (o instanceof X509CertificateHolder holder) {
                    chain.add(certs.getCertificate(holder));
                } else if (o instanceof PEMKeyPair pair) {
                    key = keys.getKeyPair(pair).getPrivate();
                } else if (o instanceof PrivateKeyInfo info) {
                    key = keys.getPrivateKey(info);
                } else if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IOException(pem + ": the private key is encrypted; koji's cert option takes an unencrypted key");
                }
            }
        } catch (java.security.cert.CertificateException e) {
            throw new IOException(pem + ": unreadable certificate: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException(pem + " holds no certificate (expected a PEM certificate and its key)");
        }
        if (key == null) {
            throw new IOException(pem + " holds no private key (expected PKCS#8 or PKCS#1 PEM beside the certificate)");
        }
        return new Identity(key, chain);
    }

    private static List<Certificate> readCertificates(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
    }
}

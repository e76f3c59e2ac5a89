package org.fedorabuild.compat.session;

import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** Reads the subject component Koji takes as the user name ({@code DNUsernameComponent}, default CN). */
public final class CertNames {
    private CertNames() {
    }

    public static String commonName(X509Certificate cert) {
        return component(cert, "CN");
    }

    public static String component(X509Certificate cert, String type) {
        try {
            LdapName dn = new LdapName(cert.getSubjectX500Principal().getName());
            for (Rdn rdn : dn.getRdns()) {
                if (rdn.getType().equalsIgnoreCase(type)) {
                    return rdn.getValue().toString();
                }
            }
            return null;
        } catch (InvalidNameException e) {
            return null;
        }
    }
}

package dev.portcullis.engine;

import dev.portcullis.pki.SpiffeId;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** Who a client certificate names: its SPIFFE ID when it is an X.509-SVID (one URI SAN), else its subject CN. */
public final class Identity {
    private Identity() {}

    /** The identity, or empty when the certificate names none (no SPIFFE ID and no CN). */
    public static Optional<String> of(X509Certificate cert) {
        List<String> uris;
        try {
            var names = cert.getSubjectAlternativeNames();
            uris = names == null ? List.of() : names.stream().filter(n -> (Integer) n.get(0) == 6).map(n -> (String) n.get(1)).toList();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        if (uris.size() == 1 && uris.getFirst().startsWith("spiffe://")) {
            try {
                return Optional.of(SpiffeId.parse(uris.getFirst()).toString());
            } catch (IllegalArgumentException e) {
                return Optional.empty(); // a malformed SPIFFE ID names nobody; its CN must not stand in for it
            }
        }
        if (uris.stream().anyMatch(u -> u.startsWith("spiffe://"))) {
            return Optional.empty(); // more than one URI SAN: not an SVID, and ambiguous
        }
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns().reversed()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return Optional.of(rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}

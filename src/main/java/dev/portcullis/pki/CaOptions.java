package dev.portcullis.pki;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a new CA is made: its common name, the SPIFFE trust domain it certifies (its own URI SAN, and
 * the one domain its SVIDs may name), name constraints on the DNS names and IP ranges it may certify,
 * and its lifetime.
 */
public record CaOptions(String name, Optional<String> trustDomain, List<String> permittedDns, List<String> permittedIps,
                        Duration validity) {
    public CaOptions {
        if (name == null || name.isBlank() || name.length() > 64) {
            throw new PkiException("the CA's --name must be 1 to 64 characters");
        }
        trustDomain.ifPresent(d -> new SpiffeId(d, ""));
        permittedDns = List.copyOf(permittedDns);
        permittedIps = List.copyOf(permittedIps);
        for (String d : permittedDns) {
            String bare = d.startsWith(".") ? d.substring(1) : d;
            if (!LeafRequest.DNS_NAME.matcher(bare).matches() || bare.startsWith("*")) {
                throw new PkiException("--permit-dns '" + d + "' is not a DNS name or domain");
            }
        }
        permittedIps.forEach(Cidr::parse);
    }

    /** Whether the CA carries name constraints (then its trust domain, if any, is permitted as a URI host too). */
    public boolean constrained() {
        return !permittedDns.isEmpty() || !permittedIps.isEmpty();
    }
}

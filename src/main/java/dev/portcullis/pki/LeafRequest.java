package dev.portcullis.pki;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** What a leaf certificate is for: a TLS server's names, or a client's name and SPIFFE ID. */
public sealed interface LeafRequest {
    Pattern DNS_NAME = Pattern.compile("(\\*\\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    /** How long the certificate is valid from now. */
    Duration validity();

    /** The subject's common name. */
    String commonName();

    /** A TLS server: at least one DNS name or IP address, each a subject alternative name. */
    record Server(List<String> dnsNames, List<InetAddress> ipAddresses, Duration validity) implements LeafRequest {
        public Server {
            dnsNames = List.copyOf(dnsNames);
            ipAddresses = List.copyOf(ipAddresses);
            if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
                throw new PkiException("a server certificate needs at least one --dns name or --ip address");
            }
            for (String d : dnsNames) {
                if (d.length() > 253 || !DNS_NAME.matcher(d).matches()) {
                    throw new PkiException("--dns '" + d + "' is not a DNS name");
                }
            }
            requirePositive(validity);
        }

        @Override
        public String commonName() {
            return dnsNames.isEmpty() ? ipAddresses.getFirst().getHostAddress() : dnsNames.getFirst();
        }
    }

    /** A client: its name (the subject CN) and, for an X.509-SVID, its SPIFFE ID (the one URI SAN). */
    record Client(String name, Optional<SpiffeId> spiffeId, Duration validity) implements LeafRequest {
        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

        public Client {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new PkiException("--name '" + name + "': 1 to 64 letters, digits, '.', '_', '@' or '-'");
            }
            spiffeId.filter(id -> !id.isWorkload()).ifPresent(id -> {
                throw new PkiException("--spiffe-id " + id + " names a trust domain, not a workload: add a path");
            });
            requirePositive(validity);
        }

        @Override
        public String commonName() {
            return name;
        }
    }

    private static void requirePositive(Duration validity) {
        if (validity.isNegative() || validity.isZero()) {
            throw new PkiException("a certificate must be valid for at least a day");
        }
    }

    /** Parses an IP address literal (never a host name: no lookup). */
    static InetAddress ipLiteral(String text) {
        if (text == null || !text.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            throw new PkiException("--ip '" + text + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new PkiException("--ip '" + text + "' is not an IP address");
        }
    }

    /** Reads {@code --ip} values. */
    public static List<InetAddress> ipLiterals(List<String> texts) {
        return texts.stream().map(LeafRequest::ipLiteral).toList();
    }
}

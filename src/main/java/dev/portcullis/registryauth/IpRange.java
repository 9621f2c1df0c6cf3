package dev.portcullis.registryauth;

import dev.portcullis.inventory.IpLiteral;
import java.net.InetAddress;
import java.util.Optional;

/** An ACL {@code ip} condition: one address or a CIDR block, IPv4 or IPv6 (IPv4-mapped IPv6 counts as IPv4). */
record IpRange(byte[] network, int prefix) implements IpMatch {
    static IpRange parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        InetAddress address = literal(slash < 0 ? t : t.substring(0, slash))
                .orElseThrow(() -> new AclPatternException("'" + Text.printable(text) + "' is not an IP address or CIDR block"));
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new AclPatternException("'" + Text.printable(text) + "' has a prefix length that is not a number");
            }
            if (prefix < 0 || prefix > bits) {
                throw new AclPatternException("'" + Text.printable(text) + "' has a prefix length outside 0.." + bits);
            }
        }
        return new IpRange(address.getAddress(), prefix);
    }

    @Override
    public boolean contains(String ip) {
        Optional<InetAddress> a = literal(ip);
        if (a.isEmpty()) {
            return false;
        }
        byte[] b = a.get().getAddress();
        if (b.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (b[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (b[full] & mask) == (network[full] & mask);
    }

    // Only literals: a host name here must never cause a DNS look-up on the token path.
    static Optional<InetAddress> literal(String text) {
        return IpLiteral.parse(text);
    }
}

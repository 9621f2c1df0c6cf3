package dev.portcullis.inventory;

import java.util.Arrays;

/** One address or CIDR block, IPv4 (4 bytes) or IPv6 (16), with the bits past the prefix cleared. */
public record Cidr(byte[] network, int prefix) {
    public Cidr {
        if (network == null || (network.length != 4 && network.length != 16)) {
            throw new InventoryException("an address has 4 or 16 bytes");
        }
        if (prefix < 0 || prefix > network.length * 8) {
            throw new InventoryException("prefix length " + prefix + " outside 0.." + network.length * 8);
        }
        network = masked(network, prefix);
    }

    /** Reads {@code 10.0.0.1}, {@code 10.0.0.0/8}, {@code 2001:db8::/32}; anything else is an {@link InventoryException} naming it. */
    public static Cidr parse(String text) {
        String t = text == null ? "" : text.trim();
        int slash = t.indexOf('/');
        byte[] address = IpLiteral.bytes(slash < 0 ? t : t.substring(0, slash))
                .orElseThrow(() -> new InventoryException("'" + IpLiteral.printable(text) + "' is not an IP address or CIDR block"));
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            if (!p.matches("[0-9]{1,3}")) {
                throw new InventoryException("'" + IpLiteral.printable(text) + "' has a prefix length that is not a number");
            }
            prefix = Integer.parseInt(p);
            if (prefix > bits) {
                throw new InventoryException("'" + IpLiteral.printable(text) + "' has a prefix length outside 0.." + bits);
            }
        }
        return new Cidr(address, prefix);
    }

    /** Whether the address (4 or 16 bytes) is in this block. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        // Byte by byte, allocating nothing: an ACL entry's block is asked on every token request.
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        return rest == 0 || (address[full] & (0xff << (8 - rest)) & 0xff) == (network[full] & 0xff);
    }

    private static byte[] masked(byte[] a, int prefix) {
        byte[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - keep)));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        return IpLiteral.text(network) + (prefix == network.length * 8 ? "" : "/" + prefix);
    }
}

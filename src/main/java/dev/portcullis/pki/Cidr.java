package dev.portcullis.pki;

import java.net.InetAddress;

/** An IP range as {@code address/prefix}, for a CA's name constraints. */
public record Cidr(InetAddress address, int prefix) {
    public Cidr {
        int bits = address.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) {
            throw new PkiException("prefix /" + prefix + " is out of range for " + address.getHostAddress());
        }
    }

    /** Reads {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is the one address. */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        InetAddress a = LeafRequest.ipLiteral(slash < 0 ? text : text.substring(0, slash));
        int prefix;
        try {
            prefix = slash < 0 ? a.getAddress().length * 8 : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new PkiException("--permit-ip '" + text + "': the prefix after '/' must be a number");
        }
        return new Cidr(a, prefix);
    }

    /** The address followed by the mask, as a name constraint's iPAddress carries it (RFC 5280 4.2.1.10). */
    byte[] addressAndMask() {
        byte[] addr = address.getAddress();
        byte[] out = new byte[addr.length * 2];
        for (int i = 0; i < addr.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
            byte mask = (byte) (0xff << (8 - bitsHere));
            out[addr.length + i] = bitsHere == 0 ? 0 : mask;
            out[i] = (byte) (addr[i] & out[addr.length + i]);
        }
        return out;
    }
}

package dev.portcullis.inventory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** IP address literals read without DNS: 4 bytes for IPv4 (IPv4-mapped IPv6 too), 16 for IPv6. */
public final class IpLiteral {
    private static final Pattern LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private IpLiteral() {}

    /** The address's bytes, or empty when the text is not an address literal (a host name is never looked up). */
    public static Optional<InetAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        int zone = t.indexOf('%');
        if (zone >= 0) {
            t = t.substring(0, zone);
        }
        if (t.isEmpty() || t.length() > 45 || !LITERAL.matcher(t).matches()) {
            return Optional.empty();
        }
        try {
            // A literal only (checked above): getByName parses it and never asks DNS.
            return Optional.of(InetAddress.getByName(t));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The bytes of an address literal, or empty. */
    public static Optional<byte[]> bytes(String text) {
        return parse(text).map(InetAddress::getAddress);
    }

    /** The usual text of 4 or 16 address bytes. */
    public static String text(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new InventoryException("an address has 4 or 16 bytes", e);
        }
    }

    /** Bad input as it may be shown: control characters replaced, at most 80 characters. */
    // Names bad input without echoing control characters into a log line, and never more than 80 characters of it.
    public static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}

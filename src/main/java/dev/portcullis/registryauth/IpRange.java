package dev.portcullis.registryauth;

import dev.portcullis.inventory.Cidr;
import dev.portcullis.inventory.InventoryException;
import dev.portcullis.inventory.IpLiteral;

/** An ACL {@code ip} condition: one address or a CIDR block, IPv4 or IPv6 (IPv4-mapped IPv6 counts as IPv4). */
record IpRange(Cidr block) implements IpMatch {
    static IpRange parse(String text) {
        try {
            return new IpRange(Cidr.parse(text));
        } catch (InventoryException e) {
            throw new AclPatternException(e.getMessage());
        }
    }

    // Only literals (IpLiteral): a host name here must never cause a DNS look-up on the token path.
    @Override
    public boolean contains(String ip) {
        return IpLiteral.bytes(ip).map(block::contains).orElse(false);
    }
}

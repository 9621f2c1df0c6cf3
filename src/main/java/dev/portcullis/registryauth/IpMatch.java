package dev.portcullis.registryauth;

import dev.portcullis.inventory.Inventory;
import dev.portcullis.inventory.InventorySet;
import dev.portcullis.inventory.IpLiteral;

/** An ACL {@code ip} condition: an address or CIDR block, or {@code @inventory:NAME}, a live set of the inventory. */
sealed interface IpMatch permits IpRange, IpMatch.InventoryIp {
    String INVENTORY = "@inventory:";

    /** Whether the client address (a literal; anything else never matches) meets the condition. */
    boolean contains(String ip);

    /** Reads the condition; an unknown set or a malformed address is an {@link AclPatternException}. */
    static IpMatch parse(String text, Inventory inventory) {
        String t = text.trim();
        if (!t.startsWith(INVENTORY)) {
            return IpRange.parse(t);
        }
        String name = t.substring(INVENTORY.length());
        InventorySet set = inventory.set(name).orElseThrow(() -> new AclPatternException("'" + Text.printable(text)
                + "' names no inventory set" + (inventory.providers().isEmpty() ? " (the inventory section has none)"
                : "; the sets are " + String.join(", ", inventory.providers().stream().map(p -> p.set().name()).toList()))));
        return new InventoryIp(set);
    }

    /** Membership of a live inventory set: a set refreshed meanwhile is read as it is now. */
    record InventoryIp(InventorySet set) implements IpMatch {
        @Override
        public boolean contains(String ip) {
            return IpLiteral.bytes(ip).map(set::contains).orElse(false);
        }
    }
}

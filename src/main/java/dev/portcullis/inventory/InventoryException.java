package dev.portcullis.inventory;

/** Bad inventory input (an entry that is no address, a malformed answer of a source), naming what was wrong. */
public class InventoryException extends RuntimeException {
    public InventoryException(String message) {
        super(message);
    }

    public InventoryException(String message, Throwable cause) {
        super(message, cause);
    }
}

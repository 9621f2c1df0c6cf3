package dev.portcullis.registryauth;

/** An ACL pattern that does not compile; the configuration reader adds the file and line. */
final class AclPatternException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AclPatternException(String message) {
        super(message);
    }
}

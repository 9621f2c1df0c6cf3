package dev.portcullis.registryauth;

/**
 * The text a regex runs over, counting how often the engine reads it: a pattern that backtracks
 * catastrophically on a crafted name is stopped (and the request denied) instead of hanging a thread.
 */
final class BoundedCharSequence implements CharSequence {
    static final long MAX_READS = 1_000_000;

    private final String text;
    private final long[] reads;

    BoundedCharSequence(String text) {
        this(text, new long[1]);
    }

    private BoundedCharSequence(String text, long[] reads) {
        this.text = text;
        this.reads = reads;
    }

    @Override
    public char charAt(int index) {
        if (++reads[0] > MAX_READS) {
            throw new AuthServiceException("an ACL regular expression took too long on this request");
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new BoundedCharSequence(text.substring(start, end), reads);
    }

    @Override
    public String toString() {
        return text;
    }
}

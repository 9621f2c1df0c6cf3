package dev.portcullis.registryauth;

import dev.portcullis.config.Secret;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/** A user name and password from a Basic header or the OAuth2 form; anonymous is the empty pair. */
record Credentials(String user, Secret password) {
    static final int MAX_USER = 256;
    static final int MAX_PASSWORD = 4096;

    public static final Credentials ANONYMOUS = new Credentials("", Secret.of(""));

    public Credentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        checkUser(user);
        if (password.reveal().length() > MAX_PASSWORD) {
            throw new InvalidTokenRequestException("password longer than " + MAX_PASSWORD + " characters");
        }
    }

    /** Parses {@code Authorization: Basic base64(user:password)}; the error never repeats the password. */
    public static Credentials parseBasic(String header) {
        if (header == null) {
            return ANONYMOUS;
        }
        String h = header.trim();
        if (h.length() < 6 || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new InvalidTokenRequestException("Authorization header must use the Basic scheme");
        }
        if (h.length() > 8 * 1024) {
            throw new InvalidTokenRequestException("Authorization header is too long");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(h.substring(6).trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenRequestException("Authorization header is not valid base64");
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidTokenRequestException("Authorization header credentials are not valid UTF-8");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new InvalidTokenRequestException("Authorization header credentials must be user:password");
        }
        return new Credentials(decoded.substring(0, colon), Secret.of(decoded.substring(colon + 1)));
    }

    public boolean isAnonymous() {
        return user.isEmpty() && password.isEmpty();
    }

    /** Account names reach logs, tokens and external commands: no control characters, bounded length. */
    static void checkUser(String user) {
        if (user.length() > MAX_USER) {
            throw new InvalidTokenRequestException("account name longer than " + MAX_USER + " characters");
        }
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new InvalidTokenRequestException("account name contains a control character (CR, LF, NUL or similar)");
            }
        }
    }

    @Override
    public String toString() {
        return "Credentials[user=" + Text.printable(user) + ", password=****]";
    }
}

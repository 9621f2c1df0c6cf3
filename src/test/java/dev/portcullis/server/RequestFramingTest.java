package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The framing check in front of Helidon's parser: what it passes on, what it refuses, where it stops. */
class RequestFramingTest {
    private static final long MAX = 1000;

    private static String feed(String raw) {
        return new String(new RequestFraming(MAX).feed(raw.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
    }

    /** The same bytes one at a time: the answer must not depend on how the socket split them. */
    private static String feedByteByByte(String raw) {
        RequestFraming f = new RequestFraming(MAX);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : raw.getBytes(StandardCharsets.ISO_8859_1)) {
            out.writeBytes(f.feed(new byte[] {b}));
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String crlf(String s) {
        return s.replace("\n", "\r\n");
    }

    @Test
    void feed_closeWithBody_passesBodyAndNothingAfter() {
        String inner = crlf("GET /auth?scope=repository:team/app:push HTTP/1.1\nHost: x\nAuthorization: Basic YWxpY2U6c2VjcmV0\n\n");
        String first = crlf("GET /healthz HTTP/1.1\nHost: x\nConnection: close\nContent-Length: " + inner.length() + "\n\n");
        RequestFraming f = new RequestFraming(MAX);
        String out = new String(f.feed((first + inner + inner).getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
        assertThat(out).isEqualTo(first + inner);
        assertThat(f.isClosed()).isTrue();
        assertThat(f.requests()).isEqualTo(1);
        assertThat(f.feed(inner.getBytes(StandardCharsets.ISO_8859_1))).isEmpty();
    }

    @Test
    void feed_keepAlivePipeline_passesBothRequests() {
        String one = crlf("POST /a HTTP/1.1\nHost: x\nContent-Length: 3\n\nabc");
        String two = crlf("GET /b HTTP/1.1\nHost: x\n\n");
        assertThat(feed(one + two)).isEqualTo(one + two);
        assertThat(feedByteByByte(one + two)).isEqualTo(one + two);
    }

    @Test
    void feed_chunkExtensionsAndTrailers_areDroppedAndTheBodyKept() {
        String in = crlf("POST /a HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n4;foo=bar\nabcd\n0;x=1\nX-Trailer: 1\n\n");
        String expected = crlf("POST /a HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n4\nabcd\n0\n\n");
        assertThat(feed(in)).isEqualTo(expected);
        assertThat(feedByteByByte(in)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            without keep-alive | GET /healthz HTTP/1.0\\n\\nGET /x HTTP/1.0\\n\\n          | GET /healthz HTTP/1.1\\nConnection: close\\nHost: localhost\\n\\n | true
            with keep-alive    | GET /healthz HTTP/1.0\\nHost: a\\nConnection: keep-alive\\n\\n | GET /healthz HTTP/1.1\\nHost: a\\nConnection: keep-alive\\n\\n | false
            """)
    void feed_http10_becomesHttp11ThatClosesUnlessKeptAlive(String name, String in, String expected, boolean closed) {
        RequestFraming f = new RequestFraming(MAX);
        String out = new String(f.feed(crlf(in.replace("\\n", "\n")).getBytes(StandardCharsets.ISO_8859_1)),
                StandardCharsets.ISO_8859_1);
        assertThat(out).isEqualTo(crlf(expected.replace("\\n", "\n")));
        assertThat(f.isClosed()).isEqualTo(closed);
    }

    @Test
    void feed_wholeHeadUnchanged_passesTheSameArrayOn() {
        byte[] in = crlf("GET /healthz HTTP/1.1\nHost: x\n\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(new RequestFraming(MAX).feed(in)).isSameAs(in);
    }

    @Test
    void feed_partialHead_passesNothingYet() {
        RequestFraming f = new RequestFraming(MAX);
        assertThat(f.feed("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(f.phase()).isEqualTo(RequestFraming.Phase.HEAD);
        assertThat(f.feed("\r\n".getBytes(StandardCharsets.US_ASCII))).hasSize(27);
        assertThat(f.phase()).isEqualTo(RequestFraming.Phase.IDLE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            chunk size zz                  | POST / HTTP/1.1\\nHost: x\\nTransfer-Encoding: chunked\\n\\nzz\\nab\\n0\\n\\n   | 400 | chunk size is not a hexadecimal number
            chunk size -5                  | POST / HTTP/1.1\\nHost: x\\nTransfer-Encoding: chunked\\n\\n-5\\nabcde\\n0\\n\\n | 400 | chunk size is not a hexadecimal number
            chunk without CRLF after data  | POST / HTTP/1.1\\nHost: x\\nTransfer-Encoding: chunked\\n\\n2\\nabcd\\n0\\n\\n  | 400 | chunk data is not followed by CRLF
            chunked body over the limit    | POST / HTTP/1.1\\nHost: x\\nTransfer-Encoding: chunked\\n\\n3e9\\n            | 413 | chunked request body larger than the limit
            chunk size of 16 digits        | POST / HTTP/1.1\\nHost: x\\nTransfer-Encoding: chunked\\n\\n0000000000000001\\n | 413 | more than 15 hexadecimal digits
            length over the limit          | POST / HTTP/1.1\\nHost: x\\nContent-Length: 1001\\n\\n                         | 413 | larger than the limit of 1000
            length and chunked             | POST / HTTP/1.1\\nHost: x\\nContent-Length: 3\\nTransfer-Encoding: chunked\\n\\n | 400 | Content-Length and Transfer-Encoding together
            two lengths                    | POST / HTTP/1.1\\nHost: x\\nContent-Length: 3\\nContent-Length: 4\\n\\n         | 400 | more than one Content-Length
            length not a number            | POST / HTTP/1.1\\nHost: x\\nContent-Length: 3a\\n\\n                           | 400 | Content-Length is not a number
            negative length                | POST / HTTP/1.1\\nHost: x\\nContent-Length: -1\\n\\n                           | 400 | Content-Length is not a number
            gzip then chunked              | POST / HTTP/1.1\\nHost: x\\nTransfer-Encoding: gzip, chunked\\n\\n            | 501 | exactly 'chunked'
            chunked twice                  | POST / HTTP/1.1\\nHost: x\\nTransfer-Encoding: chunked\\nTransfer-Encoding: chunked\\n\\n | 400 | more than one Transfer-Encoding
            identity                       | POST / HTTP/1.1\\nHost: x\\nTransfer-Encoding: identity\\n\\n                  | 400 | exactly 'chunked'
            folded header                  | GET / HTTP/1.1\\nHost: x\\nX-A: 1\\n  2\\n\\n                                   | 400 | obs-fold
            space before colon             | GET / HTTP/1.1\\nHost: x\\nContent-Length : 5\\n\\n                           | 400 | malformed header name
            no colon                       | GET / HTTP/1.1\\nHost: x\\nnonsense\\n\\n                                     | 400 | without a name and a colon
            control character in value     | GET / HTTP/1.1\\nHost: x\\nX-A: a\\u0001b\\n\\n                                | 400 | control character
            HTTP/2.0                       | GET / HTTP/2.0\\nHost: x\\n\\n                                                | 505 | only HTTP/1.1 and HTTP/1.0
            no version                     | GET /\\nHost: x\\n\\n                                                          | 400 | malformed request line
            lowercase version              | GET / http/1.1\\nHost: x\\n\\n                                                | 400 | malformed HTTP version
            two Host headers               | GET / HTTP/1.1\\nHost: x\\nHost: y\\n\\n                                       | 400 | more than one Host
            HTTP/1.1 without Host          | GET / HTTP/1.1\\nX: y\\n\\n                                                    | 400 | needs a Host header
            chunked HTTP/1.0               | POST / HTTP/1.0\\nTransfer-Encoding: chunked\\n\\n                            | 400 | Transfer-Encoding in an HTTP/1.0
            garbage                        | \\u0016\\u0003\\u0001\\u0002\\u0000\\n\\n                                      | 400 | control or non-ASCII
            """)
    void feed_malformed_isRefusedWithStatusAndReason(String name, String raw, int status, String reason) {
        String in = unescape(raw).replace("\n", "\r\n");
        RequestFraming f = new RequestFraming(MAX);
        assertThatThrownBy(() -> {
            f.feed(in.getBytes(StandardCharsets.ISO_8859_1));
            f.feed(new byte[0]); // a refusal after a head passed on comes with the next read
        }).isInstanceOfSatisfying(RequestFraming.Rejected.class, e -> {
                    assertThat(e.status()).isEqualTo(status);
                    assertThat(e.getMessage()).contains(reason);
                });
        assertThat(f.isClosed()).isTrue();
        assertThat(f.feed("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            GET / HTTP/1.1\\nHost: x\\n\\r\\n                 | bare LF
            GET / HTTP/1.1\\r\\nHost: x\\rY: z\\r\\n\\r\\n    | bare CR
            """)
    void feed_bareLineEnds_areRefused(String raw, String reason) {
        String in = unescape(raw) + "\r\n\r\n";
        assertThatThrownBy(() -> new RequestFraming(MAX).feed(in.getBytes(StandardCharsets.ISO_8859_1)))
                .isInstanceOf(RequestFraming.Rejected.class).hasMessageContaining(reason);
    }

    @Test
    void feed_validRequestThenGarbage_answersTheRequestBeforeTheRefusal() {
        RequestFraming f = new RequestFraming(MAX);
        String good = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
        byte[] out = f.feed((good + "GET / HTTP/9.9\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(out, StandardCharsets.US_ASCII)).isEqualTo(good);
        assertThat(f.isClosed()).isFalse();
        assertThatThrownBy(() -> f.feed(new byte[0])).isInstanceOfSatisfying(RequestFraming.Rejected.class,
                e -> assertThat(e.status()).isEqualTo(505));
        assertThat(f.isClosed()).isTrue();
    }

    @Test
    void feed_headOverLimit_isRefused431() {
        String in = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(RequestFraming.MAX_HEAD) + "\r\n\r\n";
        assertThatThrownBy(() -> feedByteByByte(in)).isInstanceOfSatisfying(RequestFraming.Rejected.class,
                e -> assertThat(e.status()).isEqualTo(431));
    }

    @Test
    void feed_requestLineOverLimit_isRefused414() {
        String in = "GET /" + "a".repeat(RequestFraming.MAX_REQUEST_LINE) + " HTTP/1.1\r\n";
        assertThatThrownBy(() -> feed(in)).isInstanceOfSatisfying(RequestFraming.Rejected.class,
                e -> assertThat(e.status()).isEqualTo(414));
    }

    @Test
    void feed_leadingEmptyLines_areIgnored() {
        assertThat(feed("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> b.append(n);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}

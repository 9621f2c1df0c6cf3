package dev.portcullis.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Request heads and their framing read strictly: what two parsers could read differently is refused. */
class HttpHeadTest {
    private static HttpHead head(String text) throws IOException {
        return HttpHead.read(new ByteArrayInputStream(text.replace("|", "\r\n").replace("~", "\n").replace("^A", "\u0001").getBytes(StandardCharsets.ISO_8859_1))).orElseThrow();
    }

    private static Framing framing(String text) throws IOException {
        HttpHead h = head(text);
        return Framing.ofRequest(h, RequestLine.parse(h.startLine()).http10());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "POST /x HTTP/1.1|Host: e|Content-Length: 5||; Fixed[length=5]",
            "POST /x HTTP/1.1|Host: e|Transfer-Encoding: chunked||; Chunked[]",
            "POST /x HTTP/1.1|Host: e|transfer-encoding: Chunked||; Chunked[]",
            "GET /x HTTP/1.1|Host: e||; None[]",
            "POST /x HTTP/1.1|Host: e|Content-Length: 0||; Fixed[length=0]",
    })
    void ofRequest_wellFramed_readAsSent(String text, String expected) throws IOException {
        assertThat(framing(text)).hasToString(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "POST /x HTTP/1.1|Host: e|Content-Length: 5|Transfer-Encoding: chunked||; both Content-Length and Transfer-Encoding",
            "POST /x HTTP/1.1|Host: e|Content-Length: 5|Content-Length: 5||; appears 2 times",
            "POST /x HTTP/1.1|Host: e|Content-Length: 5, 5||; is not a number",
            "POST /x HTTP/1.1|Host: e|Content-Length: +5||; is not a number",
            "POST /x HTTP/1.1|Host: e|Content-Length: 0x5||; is not a number",
            "POST /x HTTP/1.1|Host: e|Transfer-Encoding: gzip, chunked||; other than a single 'chunked'",
            "POST /x HTTP/1.1|Host: e|Transfer-Encoding: chunked|Transfer-Encoding: chunked||; other than a single 'chunked'",
            "POST /x HTTP/1.0|Transfer-Encoding: chunked||; HTTP/1.0",
    })
    void ofRequest_ambiguousFraming_refused(String text, String reason) {
        assertThatThrownBy(() -> framing(text)).isInstanceOf(Refusal.class).hasMessageContaining(reason);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "GET /x HTTP/1.1|Host: e| folded||; obsolete line folding",
            "GET /x HTTP/1.1|Host : e||; whitespace between a header name and its colon",
            "GET /x HTTP/1.1|Ho(st: e||; not a token",
            "GET /x HTTP/1.1~Host: e||; bare LF",
            "GET /x HTTP/1.1|Host: e^Ax||; control character",
            "GET /x HTTP/1.1|X: a\rb||; CR not followed by LF",
            "GET /x HTTP/1.1|: e||; without a name",
            "GET /x HTTP/1.1|Host: e; the connection ended inside a message head",
    })
    void read_malformedHead_refusedNamingWhy(String text, String reason) {
        assertThatThrownBy(() -> head(text)).isInstanceOf(Refusal.class).hasMessageContaining(reason);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "get /x HTTP/1.1; upper-case token",
            "GET x HTTP/1.1; origin form",
            "GET http://e/x HTTP/1.1; origin form",
            "GET /x HTTP/2.0; HTTP/1.1 or HTTP/1.0 only",
            "GET  /x HTTP/1.1; not 'METHOD /path HTTP/1.1'",
            "GET /x y HTTP/1.1; not 'METHOD /path HTTP/1.1'",
    })
    void requestLine_malformed_refused(String line, String reason) {
        assertThatThrownBy(() -> RequestLine.parse(line)).isInstanceOf(Refusal.class).hasMessageContaining(reason);
    }

    @org.junit.jupiter.api.Test
    void read_headLargerThanTheLimit_refusedAs431() {
        String big = "GET / HTTP/1.1|X: " + "a".repeat(HttpHead.MAX_BYTES) + "||";
        assertThatThrownBy(() -> head(big)).isInstanceOfSatisfying(Refusal.class,
                r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.HEAD_TOO_LARGE));
    }
}

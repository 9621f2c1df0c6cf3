package dev.portcullis.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bodies copied and read as their framing delimits them: chunks re-framed from what was parsed, limits kept. */
class BodiesTest {
    private static ByteArrayInputStream in(String text) {
        return new ByteArrayInputStream(text.replace("|", "\r\n").replace("~", "\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
            "5|hello|0||# hello",
            "5;ext=1|hello|6| world|0||# hello world",
            "A|0123456789|0|Trailer: x||# 0123456789",
    })
    void readWhole_chunked_decoded(String body, String expected) throws IOException {
        assertThat(new String(Bodies.readWhole(new Framing.Chunked(), in(body), 1024), StandardCharsets.ISO_8859_1)).isEqualTo(expected);
    }

    @Test
    void copy_chunkedWithExtensions_reframedWithoutThem() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Bodies.copy(new Framing.Chunked(), in("5;a=b|hello|0|X: y||"), out);
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("5\r\nhello\r\n0\r\n\r\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "zz|hello|0||; is not hexadecimal",
            "|hello|0||; is not hexadecimal",
            "-5|hello|0||; is not hexadecimal",
            "3|hello|0||; a chunk longer than its size",
            "5~hello|0||; bare LF",
    })
    void readWhole_malformedChunks_refused(String body, String reason) {
        assertThatThrownBy(() -> Bodies.readWhole(new Framing.Chunked(), in(body), 1024)).isInstanceOf(Refusal.class)
                .hasMessageContaining(reason);
    }

    @Test
    void readWhole_overTheLimit_refusedAs413WhetherFixedOrChunked() {
        assertThatThrownBy(() -> Bodies.readWhole(new Framing.Fixed(2048), in("x".repeat(2048)), 1024))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.TOO_LARGE));
        assertThatThrownBy(() -> Bodies.readWhole(new Framing.Chunked(), in("400|" + "x".repeat(1024) + "|1|x|0||"), 1024))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.TOO_LARGE));
    }

    @Test
    void copy_fixedShorterThanItsLength_fails() {
        assertThatThrownBy(() -> Bodies.copy(new Framing.Fixed(10), in("short"), new ByteArrayOutputStream()))
                .isInstanceOf(java.io.EOFException.class).hasMessageContaining("5 bytes short");
    }
}

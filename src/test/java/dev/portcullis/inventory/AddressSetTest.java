package dev.portcullis.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressSetTest {
    private static AddressSet set(String entries) {
        return AddressSet.of(Arrays.stream(entries.split(" ")).map(Cidr::parse).toList());
    }

    /** One row: the set's entries, an address, whether the set holds it. */
    @ParameterizedTest(name = "[{index}] {0} holds {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.1                         | 10.0.0.1         | true",
            "10.0.0.1                         | 10.0.0.2         | false",
            "10.0.0.0/8                       | 10.255.255.255   | true",
            "10.0.0.0/8                       | 11.0.0.0         | false",
            "10.0.0.0/8                       | 9.255.255.255    | false",
            "0.0.0.0/0                        | 255.255.255.255  | true",
            "200.0.0.0/8 10.0.0.1             | 200.1.2.3        | true",
            "200.0.0.0/8 10.0.0.1             | 128.0.0.1        | false",
            "10.0.0.1 10.0.0.2 10.0.0.3       | 10.0.0.2         | true",
            "10.0.0.0/24 10.0.0.5             | 10.0.0.200       | true",
            "10.0.0.0/24 10.0.1.0/24          | 10.0.1.255       | true",
            "10.0.0.0/24 10.0.2.0/24          | 10.0.1.1         | false",
            "10.0.0.5/24                      | 10.0.0.9         | true",
            "10.0.0.1                         | ::ffff:10.0.0.1  | true",
            "10.0.0.1                         | ::a00:1          | false",
            "2001:db8::1                      | 2001:db8::1      | true",
            "2001:db8::1                      | 2001:db8::2      | false",
            "2001:db8::/32                    | 2001:db8:ffff::1 | true",
            "2001:db8::/32                    | 2001:db9::1      | false",
            "2001:db8::/64                    | 2001:db8::ffff:1 | true",
            "2001:db8::/64                    | 2001:db8:0:1::1  | false",
            "2001:db8::/100 2001:db8::/32     | 2001:db8:1::1    | true",
            "::/0                             | ffff::1          | true",
            "ffff::/16 8000::/1               | 8000::1          | true",
            "ffff::/16 8000::/1               | 7fff::1          | false",
            "2001:db8::1                      | 10.0.0.1         | false",
    })
    void contains_table_answersMembership(String entries, String address, boolean expected) {
        assertThat(set(entries).contains(IpLiteral.bytes(address).orElseThrow())).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.256    | not an IP address",
            "host.example  | not an IP address",
            "10.0.0.0/33   | outside 0..32",
            "::/129        | outside 0..128",
            "10.0.0.0/x    | not a number",
            "10.0.0.0/-1   | not a number",
            "''            | not an IP address",
    })
    void parse_badEntry_namesTheProblem(String text, String problem) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(InventoryException.class).hasMessageContaining(problem);
    }

    @org.junit.jupiter.api.Test
    void of_entries_countsThemAndTheEmptySetHoldsNothing() {
        assertThat(set("10.0.0.1 10.0.0.1 10.0.0.0/8").entries()).isEqualTo(3);
        assertThat(AddressSet.EMPTY.contains(new byte[4])).isFalse();
        assertThat(AddressSet.of(List.of()).contains(new byte[16])).isFalse();
        assertThat(Cidr.parse("10.1.2.3/8").toString()).isEqualTo("10.0.0.0/8");
    }
}

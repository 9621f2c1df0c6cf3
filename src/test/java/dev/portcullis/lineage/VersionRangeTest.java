package dev.portcullis.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Version ranges over tags: comparators, suffixes ignored, tags that are no version in no range. */
class VersionRangeTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            >=1.2 <1.4 | 1.2         | true
            >=1.2 <1.4 | 1.3.9       | true
            >=1.2 <1.4 | 1.4         | false
            >=1.2 <1.4 | 1.1.99      | false
            <=3.18     | 3.18.0      | true
            <=3.18     | v3.18-alpine| true
            =1.36.1    | 1.36.1      | true
            1.36       | 1.36.0      | true
            >1         | latest      | false
            >1         | 2           | true
            """)
    void contains_tag_asTheComparatorsSay(String range, String tag, boolean in) {
        assertThat(VersionRange.parse(range).contains(tag)).isEqualTo(in);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ~1.2       | '~1.2' is not a comparator
            >=1.2 <x   | '<x' is not a comparator
            '  '       | a version range is 1 to 200 characters
            """)
    void parse_badRange_namesThePart(String range, String message) {
        assertThatThrownBy(() -> VersionRange.parse(range)).isInstanceOf(LineageException.class).hasMessageContaining(message);
    }
}

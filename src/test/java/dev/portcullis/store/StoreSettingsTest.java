package dev.portcullis.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.Secret;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Store URLs: H2 files are made to write each commit through and keep no trace file, PostgreSQL and in-memory URLs stay as given. */
class StoreSettingsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '~', value = {
            "jdbc:h2:file:/var/lib/p/db ~ jdbc:h2:file:/var/lib/p/db;WRITE_DELAY=0;TRACE_LEVEL_FILE=0",
            "jdbc:h2:/var/lib/p/db;MODE=PostgreSQL ~ jdbc:h2:/var/lib/p/db;MODE=PostgreSQL;WRITE_DELAY=0;TRACE_LEVEL_FILE=0",
            "jdbc:h2:file:/d/db;write_delay=0 ~ jdbc:h2:file:/d/db;write_delay=0;TRACE_LEVEL_FILE=0",
            "jdbc:h2:file:/d/db;TRACE_LEVEL_FILE=1 ~ jdbc:h2:file:/d/db;TRACE_LEVEL_FILE=1;WRITE_DELAY=0",
            "jdbc:h2:mem:test ~ jdbc:h2:mem:test",
            "jdbc:postgresql://db:5432/portcullis ~ jdbc:postgresql://db:5432/portcullis",
    })
    void new_url_writeThroughForH2Files(String given, String expected) {
        assertThat(new StoreSettings(given, "sa", Secret.of(""), 4).url()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '~', value = {
            "jdbc:h2:file:/d/db;WRITE_DELAY=500 ~ WRITE_DELAY=500",
            "jdbc:h2:file:/d/db;Write_Delay=1000;MODE=MySQL ~ WRITE_DELAY=1000",
    })
    void new_writeDelayAboveZero_refusedNamingIt(String given, String named) {
        assertThatThrownBy(() -> new StoreSettings(given, "sa", Secret.of(""), 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(named).hasMessageContaining("only 0");
    }

    @org.junit.jupiter.api.Test
    void embedded_dataDir_isDurableH2File() {
        assertThat(StoreSettings.embedded(Path.of("/srv/portcullis")).url())
                .startsWith("jdbc:h2:file:/srv/portcullis/portcullis;").endsWith(";WRITE_DELAY=0;TRACE_LEVEL_FILE=0");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '~', value = {
            "'' ~ PT24H",
            "'change_log_max_age: 2h' ~ PT2H",
            "'change_log_max_age: 30' ~ PT30S",
    })
    void from_changeLogMaxAge_readWithADayByDefault(String yaml, String expected) {
        assertThat(StoreSettings.from(store(yaml), Path.of("/srv/p")).changeLogMaxAge()).isEqualTo(java.time.Duration.parse(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '~', value = {
            "change_log_max_age: 0 ~ at least 1s",
            "change_log_max_age: 500ms ~ at least 1s",
            "change_log_max_age: soon ~ must be a duration",
            "change_log_max_age: -1d ~ must be a duration",
    })
    void from_changeLogMaxAgeInvalid_refusedNamingTheKeyAndItsLine(String yaml, String why) {
        assertThatThrownBy(() -> StoreSettings.from(store(yaml), Path.of("/srv/p")))
                .isInstanceOf(dev.portcullis.config.ConfigException.class)
                .hasMessageContaining("change_log_max_age").hasMessageContaining(why).hasMessageContaining("portcullis.yml line 2");
    }

    private static dev.portcullis.config.ConfigSection store(String keys) {
        return dev.portcullis.config.ConfigDocument.parse("store:\n  " + (keys.isEmpty() ? "pool_size: 8" : keys) + "\n",
                "portcullis.yml", java.util.Map.of()).root().section("store");
    }
}

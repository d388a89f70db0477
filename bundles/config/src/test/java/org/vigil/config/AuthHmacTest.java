package org.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.config.ConfFiles.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.api.auth.HmacMode;
import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.api.vrrp.ConfigurationPids.Instance;

/** The auth_hmac block as keepalived 2.4.1 documents it, into typed properties; mistakes are errors, keys never printed. */
class AuthHmacTest {
    private static final String HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    @TempDir
    Path dir;

    private ParseResult parse(String hmacBody) {
        return KeepalivedConfig.parse(write(dir, "keepalived.conf", """
                vrrp_instance VI_1 {
                  interface eth0
                  virtual_router_id 51
                  advert_int 2
                  authentication {
                    auth_type PASS
                    auth_pass legacy
                  }
                  auth_hmac {
                %s
                  }
                  virtual_ipaddress {
                    192.0.2.100/32
                  }
                }
                """.formatted(hmacBody)), "x");
    }

    private static Map<String, Object> instance(ParseResult r) {
        return Configurations.toConfigurations(r.model()).stream()
                .filter(c -> c.pid().equals(ConfigurationPids.INSTANCE)).findFirst().orElseThrow().properties();
    }

    @Test
    void theDocumentedBlockBecomesTypedPropertiesAndReplacesTheLegacyAuthentication() {
        ParseResult r = parse("key 1 hex:" + HEX + "\nkey 2 abcdefghijklmnopqrstuvwxyz012345\nactive_key 2\n"
                + "anti_replay time\nmode permissive");
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).extracting(Diagnostic::toString)
                .anyMatch(w -> w.contains("auth_hmac and authentication are mutually exclusive - ignoring authentication"));
        Map<String, Object> p = instance(r);
        assertThat((String[]) p.get(Instance.AUTH_HMAC_KEYS)).containsExactly(HEX,
                "6162636465666768696a6b6c6d6e6f707172737475767778797a303132333435");
        assertThat((int[]) p.get(Instance.AUTH_HMAC_KEY_IDS)).as("each key's id at the same index").containsExactly(1, 2);
        assertThat(p).containsEntry(Instance.AUTH_HMAC_ACTIVE_KEY, 2).containsEntry(Instance.AUTH_HMAC_MODE, "permissive")
                .containsEntry(Instance.AUTH_HMAC_ANTI_REPLAY, "time")
                .as("max(3 x advert_int, 5)").containsEntry(Instance.AUTH_HMAC_TIME_WINDOW, 6)
                .containsEntry(Instance.AUTH_TYPE, "NONE").doesNotContainKey(Instance.AUTH_PASS);
        String printed = Configurations.toConfigurations(r.model()).toString();
        assertThat(printed).doesNotContain(HEX).doesNotContain("6162636465");
        assertThat(r.model().toString()).doesNotContain(HEX);
    }

    @Test
    void aKeyFileIsReadAndAWideOpenOneIsWarnedAbout() throws Exception {
        Path key = dir.resolve("vrrp51");
        Files.writeString(key, "hex:" + HEX + "\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        ParseResult r = parse("key 7 file:" + key + "\nactive_key 7\nanti_replay monotonic\n");
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).extracting(Diagnostic::toString).anyMatch(w -> w.contains("readable by group or others"));
        Map<String, Object> p = instance(r);
        assertThat((String[]) p.get(Instance.AUTH_HMAC_KEYS)).containsExactly(HEX);
        assertThat((int[]) p.get(Instance.AUTH_HMAC_KEY_IDS)).containsExactly(7);
        assertThat(p).containsEntry(Instance.AUTH_HMAC_ANTI_REPLAY, "monotonic")
                .containsEntry(Instance.AUTH_HMAC_MODE, HmacMode.ENFORCE.keyword());
    }

    @Test
    void everyMistakeIsAnErrorAtItsLineThatNeverQuotesTheKey() {
        List<String> cases = List.of(
                "key 1 hex:" + HEX.substring(2) + "\nactive_key 1", // 31 bytes
                "key 1 hex:zz" + HEX.substring(2) + "\nactive_key 1",
                "key 1 hex:" + HEX + "\nactive_key 2",
                "key 1 hex:" + HEX,
                "key 0 hex:" + HEX + "\nactive_key 0",
                "key 1 hex:" + HEX + "\nkey 1 hex:" + HEX + "\nactive_key 1",
                "key 1 hex:" + HEX + "\nactive_key 1\ntime_window 301",
                "key 1 hex:" + HEX + "\nactive_key 1\nmode lenient",
                "key 1 hex:" + HEX + "\nactive_key 1\nanti_replay sometimes",
                "key 1 file:" + dir.resolve("missing") + "\nactive_key 1");
        for (String body : cases) {
            ParseResult r = parse(body);
            assertThat(r.errors()).as(body).isNotEmpty();
            assertThat(r.errors()).extracting(Diagnostic::toString).allSatisfy(e -> {
                assertThat(e).contains("keepalived.conf:").doesNotContain(HEX.substring(4, 40));
            });
        }
    }
}

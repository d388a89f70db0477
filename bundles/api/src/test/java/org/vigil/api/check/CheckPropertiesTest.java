package org.vigil.api.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CheckPropertiesTest {
    enum Proto { HTTP, HTTPS }

    @interface Block {
        String helo_name() default "localhost";
        int retry() default 1;
        double delay() default 2.5;
        boolean enable_sni() default false;
        String[] status_code() default {};
        Proto proto() default Proto.HTTP;
        String misc__path() default "";
    }

    @Test
    void keywordsAreReadTypedWithDsNamingAndDefaults() {
        CheckProperties p = new CheckProperties(Map.of("helo.name", List.of("mail.example"), "retry", List.of("3"),
                "enable.sni", List.of(), "status.code", List.of("200-299", "301"), "proto", List.of("https"),
                "misc_path", List.of("/usr/bin/check arg")));
        Block b = p.as(Block.class);
        assertThat(b.helo_name()).isEqualTo("mail.example");
        assertThat(b.retry()).isEqualTo(3);
        assertThat(b.delay()).isEqualTo(2.5);
        assertThat(b.enable_sni()).as("a bare flag is on").isTrue();
        assertThat(b.status_code()).containsExactly("200-299", "301");
        assertThat(b.proto()).isEqualTo(Proto.HTTPS);
        assertThat(b.misc__path()).isEqualTo("/usr/bin/check arg");
    }

    @Test
    void subBlocksComeInOrderWithTheirOwnKeys() {
        CheckProperties p = new CheckProperties(Map.of("url.0.path", List.of("/"), "url.1.path", List.of("/health"),
                "url.1.digest", List.of("abc"), "connect.timeout", List.of("2")));
        assertThat(p.blocks("url")).hasSize(2);
        assertThat(p.blocks("url").get(1).get("path")).contains("/health");
        assertThat(p.blocks("url").get(1).get("digest")).contains("abc");
        assertThat(p.blocks("url").get(0).keys()).containsExactly("path");
    }

    @Test
    void aValueThatDoesNotConvertNamesTheKeyword() {
        CheckProperties p = new CheckProperties(Map.of("retry", List.of("three")));
        assertThatThrownBy(() -> p.as(Block.class).retry()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retry").hasMessageContaining("three");
    }
}

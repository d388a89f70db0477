package org.vigil.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** DS's method-name-to-key mapping (OSGi Compendium 112.8.2.2), and errors named by key. */
class PropertyTypesTest {

    @interface Config {
        int delay_loop() default 1;
    }

    @Test
    void methodNamesMapToKeysAsDeclarativeServicesMapsThem() {
        assertThat(PropertyTypes.key("delay_loop")).isEqualTo("delay.loop");
        assertThat(PropertyTypes.key("interface$")).isEqualTo("interface");
        assertThat(PropertyTypes.key("notify__fifo")).isEqualTo("notify_fifo");
        assertThat(PropertyTypes.key("a$$b")).isEqualTo("a$b");
        assertThat(PropertyTypes.key("use$_$vmac")).isEqualTo("use-vmac");
    }

    @Test
    void aValueThatDoesNotConvertIsNamedByItsKey() {
        Config bad = (Config) java.lang.reflect.Proxy.newProxyInstance(Config.class.getClassLoader(),
                new Class<?>[] { Config.class }, (proxy, m, args) -> {
                    if (m.getName().equals("delay_loop")) {
                        throw new IllegalArgumentException("'soon' is not a number");
                    }
                    return m.getName().equals("annotationType") ? Config.class : null;
                });
        assertThatThrownBy(() -> PropertyTypes.check(bad)).hasMessage("attribute delay.loop: 'soon' is not a number");
    }
}

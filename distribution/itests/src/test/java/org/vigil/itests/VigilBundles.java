package org.vigil.itests;

import static org.junit.Assert.assertNotNull;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.nio.file.Path;
import java.util.Arrays;

import org.ops4j.pax.exam.Option;

/**
 * The bundles every Pax Exam test provisions: the runtime Vigil needs (SPI Fly and the SLF4J
 * provider first, pitfall 3 of osgi-stack.md; the DS API next to SCR, pitfall 1), then the
 * Vigil bundles a test names. Versions and jar paths come from failsafe's system properties.
 */
final class VigilBundles {
    private VigilBundles() {
    }

    static Option infrastructure() {
        return composite(
                mavenBundle("org.ow2.asm", "asm", v("asm")),
                mavenBundle("org.ow2.asm", "asm-commons", v("asm")),
                mavenBundle("org.ow2.asm", "asm-util", v("asm")),
                mavenBundle("org.ow2.asm", "asm-tree", v("asm")),
                mavenBundle("org.ow2.asm", "asm-analysis", v("asm")),
                mavenBundle("org.apache.aries.spifly", "org.apache.aries.spifly.dynamic.bundle", v("spifly")),
                mavenBundle("org.slf4j", "slf4j-api", v("slf4j")),
                mavenBundle("org.slf4j", "slf4j-simple", v("slf4j")),
                mavenBundle("org.osgi", "org.osgi.util.function", v("osgi.function")),
                mavenBundle("org.osgi", "org.osgi.util.promise", v("osgi.promise")),
                mavenBundle("org.osgi", "org.osgi.service.component", v("osgi.component")),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin", v("felix.configadmin")),
                mavenBundle("org.apache.felix", "org.apache.felix.scr", v("felix.scr")),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime", v("gogo.runtime")));
    }

    /** Vigil bundles by the suffix of their property, e.g. "core" for vigil.bundle.core. */
    static Option ours(String... names) {
        return composite(Arrays.stream(names).map(VigilBundles::ours).toArray(Option[]::new));
    }

    private static Option ours(String name) {
        String path = System.getProperty("vigil.bundle." + name);
        assertNotNull("system property vigil.bundle." + name, path);
        return bundle(Path.of(path).toUri().toString());
    }

    private static String v(String key) {
        return System.getProperty("v." + key);
    }
}

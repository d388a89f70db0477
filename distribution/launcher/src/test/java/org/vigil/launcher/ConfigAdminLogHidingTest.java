package org.vigil.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;

/** The hook on a real Felix framework: only the bundle named like ConfigAdmin loses sight of the log service. */
class ConfigAdminLogHidingTest {

    @TempDir
    Path dir;

    @Test
    void configAdminNeitherFindsNorHearsOfTheLogServiceOthersDo() throws Exception {
        Framework framework = new FrameworkFactory().newFramework(Map.of(
                Constants.FRAMEWORK_STORAGE, dir.resolve("cache").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        framework.init();
        try {
            ConfigAdminLogHiding.install(framework.getBundleContext());
            Bundle configAdmin = install(framework, ConfigAdminLogHiding.CONFIG_ADMIN);
            Bundle other = install(framework, "org.vigil.other");
            framework.start();
            configAdmin.start();
            other.start();
            BundleContext cm = configAdmin.getBundleContext();
            BundleContext ot = other.getBundleContext();
            List<String> cmHeard = new CopyOnWriteArrayList<>();
            List<String> otherHeard = new CopyOnWriteArrayList<>();
            String filter = "(" + Constants.OBJECTCLASS + "=" + ConfigAdminLogHiding.LOG_SERVICE + ")";
            cm.addServiceListener(e -> cmHeard.add("event " + e.getType()), filter);
            ot.addServiceListener(e -> otherHeard.add("event " + e.getType()), filter);

            // registered under the interface's name only (the launcher has no log API on its class
            // path); a factory, because the framework checks a plain object against the class
            ServiceRegistration<?> log = framework.getBundleContext()
                    .registerService(ConfigAdminLogHiding.LOG_SERVICE, new ServiceFactory<Object>() {
                        @Override
                        public Object getService(Bundle bundle, ServiceRegistration<Object> registration) {
                            return new Object();
                        }

                        @Override
                        public void ungetService(Bundle bundle, ServiceRegistration<Object> registration,
                                Object service) {
                        }
                    }, null);

            assertThat(cm.getServiceReferences(ConfigAdminLogHiding.LOG_SERVICE, null)).isNull();
            assertThat(cm.getAllServiceReferences(ConfigAdminLogHiding.LOG_SERVICE, null)).isNull();
            assertThat(ot.getServiceReferences(ConfigAdminLogHiding.LOG_SERVICE, null)).hasSize(1);
            assertThat(cmHeard).isEmpty();
            assertThat(otherHeard).containsExactly("event " + org.osgi.framework.ServiceEvent.REGISTERED);
            // other services stay visible to ConfigAdmin
            framework.getBundleContext().registerService(Runnable.class.getName(), (Runnable) () -> { }, null);
            assertThat(cm.getServiceReferences(Runnable.class.getName(), null)).hasSize(1);
            log.unregister();
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    private Bundle install(Framework framework, String symbolicName) throws IOException, Exception {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        main.putValue(Constants.BUNDLE_SYMBOLICNAME, symbolicName);
        Path jar = dir.resolve(symbolicName + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
            // a manifest is all a bundle needs to have a context
        }
        return framework.getBundleContext().installBundle(jar.toUri().toString());
    }
}

package org.vigil.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.vigil.api.check.CheckerPids;
import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.api.vrrp.ConfigurationPids.Instance;
import org.vigil.config.Diagnostic;
import org.vigil.config.KeepalivedConfig;

class ConfigLoaderTest {

    /** Named by keepalived's identity of the instance (VRID, family, interface). */
    private static final String VI_1 = ConfigurationPids.INSTANCE + "~vrid51.ipv4.lan0";
    private static final String VI_2 = ConfigurationPids.INSTANCE + "~vrid52.ipv4.lan0";

    @TempDir
    Path dir;

    private Path file;
    private final FakeConfigurationAdmin cm = new FakeConfigurationAdmin();
    private ConfigLoader loader;

    @BeforeEach
    void setUp() {
        file = dir.resolve("keepalived.conf");
        loader = new ConfigLoader(cm, file, "r1");
    }

    private void write(int priority, boolean withVi2) throws IOException {
        String text = """
                global_defs {
                  router_id r1
                }
                vrrp_instance VI_1 {
                  interface lan0
                  virtual_router_id 51
                  priority %d
                  virtual_ipaddress {
                    192.0.2.249/24
                  }
                }
                """.formatted(priority);
        if (withVi2) {
            text += "vrrp_instance VI_2 {\n interface lan0\n virtual_router_id 52\n virtual_ipaddress {\n"
                    + " 192.0.2.250/24\n }\n}\n";
        }
        Files.writeString(file, text);
    }

    @Test
    void firstLoadCreatesGlobalAndNamedFactoryConfigurations() throws IOException {
        write(150, true);
        List<Diagnostic> diagnostics = loader.reload();

        assertThat(diagnostics).isEmpty();
        assertThat(cm.configurations.keySet()).containsExactlyInAnyOrder(ConfigurationPids.GLOBAL, VI_1, VI_2);
        assertThat(cm.get(VI_1).getFactoryPid()).isEqualTo(ConfigurationPids.INSTANCE);
        assertThat(cm.get(VI_1).getBundleLocation()).isEqualTo("?");
        assertThat(cm.get(VI_1).getProperties().get(Instance.PRIORITY)).isEqualTo(150);
        assertThat(cm.get(VI_1).getProperties().get(ConfigurationPids.ORIGIN)).isEqualTo(file + ":4");
        assertThat((String[]) cm.get(VI_1).getProperties().get(Instance.VIRTUAL_IPADDRESS))
                .containsExactly("192.0.2.249/24");
        assertThat(cm.get(ConfigurationPids.GLOBAL).getProperties().get(ConfigurationPids.Global.ROUTER_ID))
                .isEqualTo("r1");
    }

    @Test
    void reloadOfAnUnchangedFileTouchesNothing() throws IOException {
        write(150, true);
        loader.reload();
        cm.events.clear();

        loader.reload();

        assertThat(cm.events).isEmpty();
        assertThat(cm.get(VI_1).getChangeCount()).isEqualTo(1);
    }

    @Test
    void onlyChangedConfigurationsAreUpdatedAndNewOnesCreated() throws IOException {
        write(150, false);
        loader.reload();
        cm.events.clear();

        write(200, true);
        loader.reload();

        assertThat(cm.events).containsExactlyInAnyOrder("update " + VI_1, "update " + VI_2);
        assertThat(cm.get(VI_1).getProperties().get(Instance.PRIORITY)).isEqualTo(200);
        assertThat(cm.get(ConfigurationPids.GLOBAL).getChangeCount()).isEqualTo(1);
    }

    @Test
    void vanishedConfigurationsAreDeletedOthersKept() throws IOException {
        cm.put("org.example.other", null, Map.of("x", 1));
        cm.put(ConfigurationPids.INSTANCE + "~manual", ConfigurationPids.INSTANCE, Map.of("name", "manual"));
        write(150, true);
        loader.reload();
        cm.events.clear();

        write(150, false);
        loader.reload();

        assertThat(cm.events).containsExactly("delete " + VI_2);
        assertThat(cm.configurations.keySet()).contains("org.example.other", ConfigurationPids.INSTANCE + "~manual",
                VI_1);
    }

    @Test
    void aFileWithErrorsChangesNothing() throws IOException {
        write(150, true);
        loader.reload();
        cm.events.clear();

        Files.writeString(file, "vrrp_instance VI_1 {\n interface lan0\n virtual_router_id 300\n}\n");
        List<Diagnostic> diagnostics = loader.reload();

        assertThat(diagnostics).extracting(Diagnostic::toString)
                .contains(file + ":3: (VI_1): VRID '300' not valid - must be between 1 & 255");
        assertThat(cm.events).isEmpty();
        assertThat(cm.configurations.keySet()).contains(VI_1, VI_2);
    }

    @Test
    void aMissingFileIsAnErrorAndKeepsTheRunningConfiguration() throws IOException {
        write(150, true);
        loader.reload();
        cm.events.clear();
        Files.delete(file);

        List<Diagnostic> diagnostics = loader.reload();

        assertThat(diagnostics).singleElement().satisfies(d -> assertThat(d.isError()).isTrue());
        assertThat(cm.events).isEmpty();
    }

    @Test
    void warningsDoNotStopTheApply() throws IOException {
        Files.writeString(file, "vrrp_instance VI_1 {\n interface lan0\n virtual_router_id 5\n advert_int 1.5\n"
                + " virtual_ipaddress {\n 192.0.2.1\n }\n}\nbfd_instance b1 {\n neighbor_ip 192.0.2.2\n}\n");
        List<Diagnostic> diagnostics = loader.reload();
        assertThat(diagnostics).hasSize(2).noneMatch(Diagnostic::isError);
        assertThat(cm.get(ConfigurationPids.INSTANCE + "~vrid5.ipv4.lan0").getProperties().get(Instance.ADVERT_INT_CS))
                .isEqualTo(200);
    }

    private static final String VS = CheckerPids.VIRTUAL_SERVER + "~192.0.2.249:tcp:80";
    private void writeVirtualServer(int weight2, boolean withRs2) throws IOException {
        String rs2 = """
                  real_server 192.0.2.22 80 {
                    weight %d
                    HTTP_GET {
                      url {
                        path /health
                      }
                    }
                  }
                """.formatted(weight2);
        Files.writeString(file, """
                virtual_server 192.0.2.249 80 {
                  delay_loop 6
                  protocol TCP
                  lvs_sched rr
                  lvs_method NAT
                  real_server 192.0.2.21 80 {
                    TCP_CHECK {
                      connect_timeout 3
                    }
                  }
                %s}
                """.formatted(withRs2 ? rs2 : "\n\n\n\n\n\n\n\n"));
    }

    @Test
    void aChangedRealServerUpdatesItsVirtualServersConfigurationOnly() throws IOException {
        writeVirtualServer(1, true);
        assertThat(loader.reload()).isEmpty();
        // one configuration per virtual server, its real servers inside (no O(n^2) start-up in SCR)
        assertThat(cm.configurations.keySet()).containsExactly(VS);
        assertThat(cm.get(VS).getProperties().get(CheckerPids.REAL_SERVER_COUNT)).isEqualTo(2);
        assertThat(cm.get(VS).getProperties().get("real.server.1.weight")).as("1, the default: left out").isNull();
        cm.events.clear();

        writeVirtualServer(1, true);
        loader.reload();
        assertThat(cm.events).as("the same file again").isEmpty();

        writeVirtualServer(5, true);
        loader.reload();
        assertThat(cm.events).containsExactly("update " + VS);
        assertThat(cm.get(VS).getProperties().get("real.server.1.weight")).isEqualTo(5);
        assertThat(cm.get(VS).getProperties().get("real.server.0.check.0.connect.timeout"))
                .isEqualTo(new String[] { "3" });
    }

    @Test
    void aRemovedRealServerLeavesItsVirtualServersConfiguration() throws IOException {
        writeVirtualServer(1, true);
        loader.reload();
        cm.events.clear();

        writeVirtualServer(1, false);
        loader.reload();

        assertThat(cm.events).containsExactly("update " + VS);
        assertThat(cm.get(VS).getProperties().get(CheckerPids.REAL_SERVER_COUNT)).isEqualTo(1);
        assertThat(cm.get(VS).getProperties().get("real.server.1.address")).isNull();
    }

    @Test
    void fileChoiceConfigurationThenFrameworkPropertyThenDefault() {
        assertThat(ConfigLoader.chooseFile("/a.conf", "/b.conf")).isEqualTo(Path.of("/a.conf"));
        assertThat(ConfigLoader.chooseFile("", "/b.conf")).isEqualTo(Path.of("/b.conf"));
        assertThat(ConfigLoader.chooseFile("", null)).isEqualTo(KeepalivedConfig.DEFAULT_PATH);
    }

    @Test
    void activationReadsTheFrameworkPropertyAndAppliesAtOnce() throws IOException {
        write(120, false);
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty")) {
                        return ConfigLoader.FILE_PROPERTY.equals(args[0]) ? file.toString() : null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        ConfigLoader.Config config = (ConfigLoader.Config) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigLoader.Config.class}, (proxy, method, args) -> "");

        ConfigLoader activated = new ConfigLoader(cm, context, config);

        assertThat(activated.configFile()).isEqualTo(file);
        assertThat(cm.get(VI_1).getProperties().get(Instance.PRIORITY)).isEqualTo(120);
    }
}

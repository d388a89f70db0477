package org.vigil.config.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.config.ConfigReloader;
import org.vigil.config.ConfigurationRecord;
import org.vigil.config.Configurations;
import org.vigil.config.Diagnostic;
import org.vigil.config.KeepalivedConfig;
import org.vigil.config.ParseResult;

/**
 * Reads keepalived.conf at start and on {@link #reload()} and mirrors it into ConfigurationAdmin.
 * A file with errors changes nothing, so a typo never stops running instances. Otherwise only
 * configurations whose properties changed are updated (an update restarts or modifies the
 * component behind it) and those no longer in the file are deleted.
 */
@Component(immediate = true, service = ConfigReloader.class)
@Designate(ocd = ConfigLoader.Config.class)
public final class ConfigLoader implements ConfigReloader {

    /** Framework property naming the file ({@code bin/vigil -f} sets it). */
    public static final String FILE_PROPERTY = "vigil.config.file";
    /** Framework property with keepalived's config id ({@code -i}) for {@code @id} lines. */
    public static final String CONFIG_ID_PROPERTY = "vigil.config.id";
    /** Location that lets any bundle receive the configuration (ConfigurationAdmin multi-location). */
    private static final String ANY_LOCATION = "?";
    /** Keys that ConfigurationAdmin adds itself and that are not ours to compare. */
    private static final Set<String> ADMIN_KEYS = Set.of(Constants.SERVICE_PID, ConfigurationAdmin.SERVICE_FACTORYPID,
            ConfigurationAdmin.SERVICE_BUNDLELOCATION);

    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

    @ObjectClassDefinition(name = "Vigil keepalived.conf loader",
            description = "Reads keepalived.conf into ConfigurationAdmin configurations")
    public @interface Config {
        @AttributeDefinition(description = "Configuration file; empty: framework property vigil.config.file, "
                + "else /etc/keepalived/keepalived.conf")
        String config_file() default "";

        @AttributeDefinition(description = "keepalived config id (-i) for @id lines; empty: framework "
                + "property vigil.config.id, else the host name")
        String config_id() default "";
    }

    private final ConfigurationAdmin configurationAdmin;
    private final Path file;
    private final String configId;

    @Activate
    public ConfigLoader(@Reference(name = "configurationAdmin") ConfigurationAdmin configurationAdmin, BundleContext context, Config config) {
        this(configurationAdmin, chooseFile(config.config_file(), context.getProperty(FILE_PROPERTY)),
                chooseConfigId(config.config_id(), context.getProperty(CONFIG_ID_PROPERTY)));
        reload();
    }

    ConfigLoader(ConfigurationAdmin configurationAdmin, Path file, String configId) {
        this.configurationAdmin = configurationAdmin;
        this.file = file;
        this.configId = configId;
    }

    static Path chooseFile(String configured, String frameworkProperty) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.strip());
        }
        if (frameworkProperty != null && !frameworkProperty.isBlank()) {
            return Path.of(frameworkProperty.strip());
        }
        return KeepalivedConfig.DEFAULT_PATH;
    }

    private static String chooseConfigId(String configured, String frameworkProperty) {
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        if (frameworkProperty != null && !frameworkProperty.isBlank()) {
            return frameworkProperty.strip();
        }
        return KeepalivedConfig.defaultConfigId();
    }

    @Override
    public Path configFile() {
        return file;
    }

    @Override
    public synchronized List<Diagnostic> reload() {
        ParseResult result = KeepalivedConfig.parse(file, configId);
        List<Diagnostic> diagnostics = new ArrayList<>(result.diagnostics());
        for (Diagnostic d : diagnostics) {
            if (d.isError()) {
                LOG.error("{}", d);
            } else {
                LOG.warn("{}", d);
            }
        }
        if (result.hasErrors()) {
            LOG.error("{}: {} error(s) - configuration not applied, the running configuration stays", file,
                    result.errors().size());
            return diagnostics;
        }
        try {
            apply(Configurations.toConfigurations(result.model()));
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            Diagnostic failed = new Diagnostic(Diagnostic.Severity.ERROR, file.toString(), 0,
                    "cannot apply the configuration: " + e);
            LOG.error("{}", failed, e);
            diagnostics.add(failed);
        }
        return diagnostics;
    }

    private void apply(List<ConfigurationRecord> records) throws IOException, InvalidSyntaxException {
        Configuration[] existing = configurationAdmin
                .listConfigurations("(" + ConfigurationPids.SOURCE + "=" + Configurations.SOURCE + ")");
        Set<String> wanted = new HashSet<>();
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        for (ConfigurationRecord record : records) {
            Configuration configuration = record.factory()
                    ? configurationAdmin.getFactoryConfiguration(record.pid(), record.name(), ANY_LOCATION)
                    : configurationAdmin.getConfiguration(record.pid(), ANY_LOCATION);
            wanted.add(configuration.getPid());
            Dictionary<String, Object> current = configuration.getProperties();
            if (current != null && ConfigurationRecord.sameProperties(ours(current), record.properties())) {
                unchanged++;
                continue;
            }
            if (current == null) {
                created++;
            } else {
                updated++;
            }
            configuration.update(new Hashtable<>(record.properties()));
        }
        int deleted = 0;
        for (Configuration configuration : existing == null ? new Configuration[0] : existing) {
            if (!wanted.contains(configuration.getPid())) {
                configuration.delete();
                deleted++;
            }
        }
        LOG.info("{}: applied - {} created, {} updated, {} unchanged, {} deleted", file, created, updated, unchanged,
                deleted);
    }

    private static Map<String, Object> ours(Dictionary<String, Object> properties) {
        Map<String, Object> map = new HashMap<>();
        for (String key : Collections.list(properties.keys())) {
            if (!ADMIN_KEYS.contains(key)) {
                map.put(key, properties.get(key));
            }
        }
        return map;
    }
}

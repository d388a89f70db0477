package org.vigil.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/vigil}: keepalived's command line in front of a Felix framework. Options keep
 * keepalived's names and meaning; the few Vigil extensions are long options only.
 */
@Command(name = "vigil", sortOptions = false, versionProvider = Vigil.Version.class,
        description = "Keeps service addresses alive with VRRP: keepalived, rebuilt on OSGi.",
        footer = { "", "Exit status of -t: 0 when valid, 5 (as keepalived) with errors, printed as file:line: message." })
public final class Vigil implements Callable<Integer> {

    static final String DEFAULT_CONFIG = "/etc/keepalived/keepalived.conf";

    @Option(names = { "-f", "--use-file" }, paramLabel = "FILE", description = "Use the specified configuration file (default " + DEFAULT_CONFIG + ").")
    Path configFile;

    @Option(names = { "-t", "--config-test" }, arity = "0..1", paramLabel = "FILE", fallbackValue = "",
            description = "Check the configuration for errors, print them and exit.")
    String configTest;

    @Option(names = { "-i", "--config-id" }, paramLabel = "ID", description = "The id '@ID' configuration lines are matched against (default: the host name's first part).")
    String configId;

    @Option(names = { "-n", "--dont-fork" }, description = "Don't fork the daemon process (bin/vigil runs it in the background otherwise).")
    boolean dontFork;

    @Option(names = { "-l", "--log-console" }, description = "Log messages to the console instead of log/vigil.log.")
    boolean logConsole;

    @Option(names = { "-D", "--log-detail" }, description = "Detailed log messages.")
    boolean logDetail;

    @Option(names = { "-p", "--pid" }, paramLabel = "FILE", description = "Use the specified pidfile (default /run/vigil.pid, or run/vigil.pid under VIGIL_HOME when /run is not writable).")
    Path pidFile;

    @Option(names = { "-v", "--version" }, versionHelp = true, description = "Display the version and exit.")
    boolean version;

    @Option(names = { "-h", "--help" }, usageHelp = true, description = "Display this help message and exit.")
    boolean help;

    @Option(names = "--signum", paramLabel = "SIGFUNC", description = "Print the signal number for STOP, RELOAD, DATA, STATS, STATS_CLEAR or JSON and exit.")
    String signum;

    @Option(names = "--console", description = "Vigil: open the interactive Gogo console on this terminal.")
    boolean console;

    @Option(names = "--sim-lan", paramLabel = "PORT", description = "Vigil: run on the simulated LAN at this UDP base port instead of real interfaces.")
    Integer simLanPort;

    @Option(names = "--sim-node", paramLabel = "NAME", description = "Vigil: this router's name on the simulated LAN.")
    String simNode;

    @Option(names = "--sim-interface", paramLabel = "SPEC", description = "Vigil: a simulated interface, \"lan0 192.0.2.11/24 [fe80::11] [MAC]\" (repeatable).")
    List<String> simInterfaces = new ArrayList<>();

    @Option(names = "--sim-delay", paramLabel = "MS", description = "Vigil: simulated LAN delay in milliseconds.")
    int simDelayMs;

    @Option(names = "--sim-loss", paramLabel = "PERCENT", description = "Vigil: simulated LAN loss in percent.")
    int simLossPercent;

    @Override
    public Integer call() throws Exception {
        if (signum != null) {
            Optional<SignalFunction> f = SignalFunction.named(signum);
            if (f.isEmpty()) {
                System.err.println("Unknown sigfunc " + signum);
                return 1;
            }
            System.out.println(f.get().number());
            return 0;
        }
        if (configTest != null) {
            Path file = !configTest.isEmpty() ? Home.fromCaller(configTest) : configFile();
            return ConfigTest.run(file, configId(), System.err);
        }
        return new FrameworkRunner(this).run();
    }

    String configId() {
        return configId != null ? configId : org.vigil.config.KeepalivedConfig.defaultConfigId();
    }

    Path configFile() {
        return configFile != null ? configFile : Path.of(DEFAULT_CONFIG);
    }

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /** The subcommands' names; picocli's help lists them. */
    private static final List<String> SUBCOMMANDS = List.of("demo", "ctl", "genhash", "help");

    /** The whole command line, with every subcommand. */
    static CommandLine commandLine() {
        return commandLine(SUBCOMMANDS.get(0));
    }

    /**
     * The command line for these arguments. picocli reflects on every subcommand's class when it is
     * added (a third of its start-up); a daemon start or -t names none, so they are added only when an
     * argument could be one, or help is asked for.
     */
    static CommandLine commandLine(String... args) {
        CommandLine cli = new CommandLine(new Vigil()).setUsageHelpAutoWidth(true);
        // file arguments are relative to the caller's folder, also when bin/vigil runs the JVM in VIGIL_HOME
        cli.registerConverter(Path.class, Home::fromCaller);
        if (args.length == 0 || java.util.Arrays.stream(args).anyMatch(a -> !a.startsWith("-") ? SUBCOMMANDS.contains(a)
                : a.equals("-h") || a.equals("--help"))) {
            cli.addSubcommand(new DemoCommand()).addSubcommand(new CtlCommand()).addSubcommand(new GenhashCommand());
            // everything after the command's name is the command's, options included (vrrp:show -x)
            cli.getSubcommands().get("ctl").setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
        }
        return cli;
    }

    static String versionString() {
        String v = Vigil.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] { "Vigil v" + versionString(), "keepalived-compatible VRRP on Apache Felix; Java " + Runtime.version() };
        }
    }
}

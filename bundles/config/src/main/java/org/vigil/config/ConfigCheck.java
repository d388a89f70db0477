package org.vigil.config;

import java.io.PrintStream;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What {@code keepalived -t} does: parse, then check against the host, so far that every
 * interface named by an instance exists.
 */
public final class ConfigCheck {

    private ConfigCheck() {
    }

    /** Interface lookup through {@link NetworkInterface#getByName(String)}. */
    public static final Predicate<String> SYSTEM_INTERFACES = name -> {
        try {
            return NetworkInterface.getByName(name) != null;
        } catch (SocketException | RuntimeException e) {
            return false;
        }
    };

    /** keepalived -t's exit status for a configuration with errors. */
    public static final int EXIT_CONFIG_ERROR = 5;

    /**
     * {@code vigil -t}: {@code [-f FILE] [-i CONFIG_ID]}; prints every diagnostic as
     * {@code file:line: message} and exits 0, or 5 (as keepalived -t) when there are errors or
     * corrections ({@link Diagnostic#failsCheck()}).
     */
    public static void main(String[] args) {
        System.exit(run(List.of(args), SYSTEM_INTERFACES, System.err));
    }

    static int run(List<String> args, Predicate<String> interfaceExists, PrintStream out) {
        Path file = KeepalivedConfig.DEFAULT_PATH;
        String configId = KeepalivedConfig.defaultConfigId();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            boolean hasValue = i + 1 < args.size();
            if ((a.equals("-f") || a.equals("--use-file")) && hasValue) {
                file = Path.of(args.get(++i));
            } else if ((a.equals("-i") || a.equals("--config-id")) && hasValue) {
                configId = args.get(++i);
            } else {
                out.println("usage: ConfigCheck [-f FILE] [-i CONFIG_ID]");
                return 2;
            }
        }
        return report(file, configId, interfaceExists, out);
    }

    /**
     * Parses and validates {@code file}, prints every diagnostic as {@code file:line: message} and
     * returns keepalived -t's exit status: 0, or {@link #EXIT_CONFIG_ERROR} when there are errors or
     * corrections.
     */
    public static int report(Path file, String configId, Predicate<String> interfaceExists, PrintStream out) {
        ParseResult result = KeepalivedConfig.parse(file, configId);
        List<Diagnostic> all = new ArrayList<>(result.diagnostics());
        all.addAll(validate(result.model(), interfaceExists));
        all.addAll(dataPlane(result.model(), IPVS_PRESENT.getAsBoolean()));
        all = KeepalivedConfig.sorted(all);
        all.forEach(out::println);
        // keepalived -t fails on every configuration error it reports, the ones it corrects too
        return all.stream().anyMatch(Diagnostic::failsCheck) ? EXIT_CONFIG_ERROR : 0;
    }

    public static List<Diagnostic> check(Path file) {
        return check(file, SYSTEM_INTERFACES);
    }

    public static List<Diagnostic> check(Path file, Predicate<String> interfaceExists) {
        ParseResult result = KeepalivedConfig.parse(file);
        List<Diagnostic> all = new ArrayList<>(result.diagnostics());
        all.addAll(validate(result.model(), interfaceExists));
        return KeepalivedConfig.sorted(all);
    }

    private static void addressInterfaces(List<VirtualIp> addresses, Predicate<String> interfaceExists,
            List<Diagnostic> out) {
        for (VirtualIp vip : addresses) {
            int dev = vip.options().indexOf("dev");
            if (dev >= 0 && dev + 1 < vip.options().size() && !interfaceExists.test(vip.options().get(dev + 1))) {
                out.add(Diagnostic.error(vip.origin(), "WARNING - interface " + vip.options().get(dev + 1) + " for ip address "
                        + vip.address().getHostAddress() + " doesn't exist"));
            }
        }
    }

    /** Every "dev NAME" of a route (nexthops included) must name an interface, as keepalived checks. */
    private static void routeInterfaces(String route, Origin origin, Predicate<String> interfaceExists,
            List<Diagnostic> out) {
        String[] words = route.split(" ");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("dev") && !interfaceExists.test(words[i + 1])) {
                out.add(Diagnostic.error(origin, "WARNING - interface " + words[i + 1]
                        + " for VROUTE nexthop doesn't exist"));
            }
        }
    }

    /** Whether the kernel has IPVS (loaded, or loadable as a module): only then can DR and TUN forward. */
    public static final java.util.function.BooleanSupplier IPVS_PRESENT = () -> java.nio.file.Files.exists(
            Path.of("/proc/net/ip_vs")) || java.nio.file.Files.isDirectory(Path.of("/sys/module/ip_vs"))
            || modulePresent("ip_vs");

    private static boolean modulePresent(String name) {
        try (var lines = java.nio.file.Files.lines(Path.of("/lib/modules", System.getProperty("os.version", ""),
                "modules.dep"))) {
            return lines.anyMatch(l -> l.contains("/" + name + ".ko"));
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * lb_kind DR and TUN need IPVS: the nftables driver can only rewrite addresses (NAT). Without
     * IPVS in the kernel such a real server would get no traffic, so -t says so here rather than
     * the driver only at run time. A warning: keepalived's own -t accepts the file, and VRRP and
     * the checks still run.
     */
    static List<Diagnostic> dataPlane(KeepalivedModel model, boolean ipvs) {
        List<Diagnostic> out = new ArrayList<>();
        if (ipvs) {
            return out;
        }
        for (VirtualServer vs : model.virtualServers()) {
            for (RealServer rs : vs.realServers()) {
                LvsMethod m = CheckerBuilder.effectiveMethod(vs, rs);
                if (m != null && !m.kind().equals("NAT")) {
                    out.add(Diagnostic.warning(rs.origin(), "lb_kind " + m.kind() + " for real server "
                            + rs.text(vs.protocol()) + " of " + vs.text() + ": this kernel has no IPVS and the"
                            + " nftables driver only does NAT; the server gets no traffic (use lb_kind NAT)"));
                }
            }
        }
        return out;
    }

    /** The host-dependent checks alone, for a model that was already parsed. */
    public static List<Diagnostic> validate(KeepalivedModel model, Predicate<String> interfaceExists) {
        List<Diagnostic> out = new ArrayList<>();
        try {
            for (VrrpInstance vi : model.instances()) {
                if (vi.interfaceName() != null && !interfaceExists.test(vi.interfaceName())) {
                    Origin at = vi.interfaceOrigin != null ? vi.interfaceOrigin : vi.origin();
                    out.add(Diagnostic.error(at, "WARNING - interface " + vi.interfaceName() + " for vrrp_instance "
                            + vi.name() + " doesn't exist"));
                }
                for (String entry : vi.track("track_interface")) {
                    String name = entry.split(" ")[0];
                    if (!interfaceExists.test(name)) {
                        out.add(Diagnostic.error(vi.originOf("track_interface", entry), "(" + vi.name() + ") tracked interface " + name
                                + " doesn't exist"));
                    }
                }
                for (String route : vi.virtualRoutes()) {
                    routeInterfaces(route, vi.originOf("virtual_routes", route), interfaceExists, out);
                }
                List<VirtualIp> vips = new ArrayList<>(vi.virtualIpaddress());
                vips.addAll(vi.virtualIpaddressExcluded());
                addressInterfaces(vips, interfaceExists, out);
            }
            addressInterfaces(model.staticAddresses(), interfaceExists, out);
            for (ConfigNode route : model.network().staticRoutes()) {
                routeInterfaces(route.line(), route.origin(), interfaceExists, out);
            }
        } catch (RuntimeException e) {
            out.add(new Diagnostic(Diagnostic.Severity.ERROR, "", 0, "internal error while checking interfaces: " + e));
        }
        return out;
    }
}

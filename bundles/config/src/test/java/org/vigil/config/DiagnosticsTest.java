package org.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.config.ConfFiles.lines;
import static org.vigil.config.ConfFiles.write;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.config.Diagnostic.Severity;

class DiagnosticsTest {

    @TempDir
    Path dir;

    private ParseResult parse(String text) {
        return KeepalivedConfig.parse(write(dir, "keepalived.conf", text), "x");
    }

    private String at(int line, String message) {
        return dir.resolve("keepalived.conf") + ":" + line + ": " + message;
    }

    @Test
    void diagnosticPrintsAsFileLineMessage() {
        Diagnostic d = new Diagnostic(Severity.ERROR, "/etc/keepalived/keepalived.conf", 12, "boom");
        assertThat(d).hasToString("/etc/keepalived/keepalived.conf:12: boom");
    }

    @Test
    void outOfRangeAndNonNumericValuesAreErrorsAtTheirLine() {
        ParseResult r = parse("""
                vrrp_instance VI_1 {
                  interface eth0
                  virtual_router_id 0
                  priority 256
                  virtual_ipaddress {
                    192.0.2.1
                  }
                }
                vrrp_instance VI_2 {
                  interface eth0
                  virtual_router_id 256
                  priority 0
                  virtual_ipaddress {
                    192.0.2.2
                  }
                }
                vrrp_instance VI_3 {
                  interface eth0
                  virtual_router_id abc
                  priority x
                  advert_int 1s
                  version 4
                  virtual_ipaddress {
                    192.0.2.3
                  }
                }
                """);
        assertThat(r.errors()).extracting(Diagnostic::toString).contains(
                at(3, "(VI_1): VRID '0' not valid - must be between 1 & 255"),
                at(4, "(VI_1) Priority not valid! must be between 1 & 255. Using default 100"),
                at(11, "(VI_2): VRID '256' not valid - must be between 1 & 255"),
                at(12, "(VI_2) Priority not valid! must be between 1 & 255. Using default 100"),
                at(19, "invalid number 'abc'"),
                at(20, "(VI_3) invalid number 'x' for priority"),
                at(21, "(VI_3) Advert interval (1s) not valid! Must be > 0 - ignoring"),
                at(22, "(VI_3): Version must be either 2 or 3"));
    }

    @Test
    void badAddressesAreErrors() {
        ParseResult r = parse("""
                vrrp_instance VI_1 {
                  interface eth0
                  virtual_router_id 1
                  unicast_src_ip 192.0.2.1.5
                  unicast_peer {
                    192.0.2.500
                    192.0.2.12 min_ttl 250
                  }
                  virtual_ipaddress {
                    192.0.2.300/24
                    192.0.2.4/33
                    vip.example.net
                    192.0.2.5/24 dev eth0
                  }
                }
                """);
        assertThat(lines(r.errors())).containsExactly(
                at(4, "(VI_1) invalid IP address '192.0.2.1.5' for unicast_src_ip"),
                at(6, "Configuration error: VRRP instance[VI_1] malformed unicast peer address[192.0.2.500]. Skipping..."),
                at(10, "VRRP parsed invalid IP 192.0.2.300/24. skipping IP..."),
                at(11, "Invalid address prefix len 33 for address 192.0.2.4/33 - must be between 0 and 32"),
                at(12, "VRRP parsed invalid IP vip.example.net. skipping IP..."));
        VrrpInstance vi = r.model().instances().get(0);
        assertThat(vi.unicastPeers()).containsExactly("192.0.2.12 min_ttl 250");
        assertThat(vi.virtualIpaddress()).extracting(VirtualIp::text).containsExactly("192.0.2.5/24 dev eth0");
    }

    @Test
    void unbalancedBracesPointAtTheBlock() {
        ParseResult r = parse("""
                global_defs {
                  router_id r1
                }
                }
                vrrp_instance VI_1 {
                  interface eth0
                  virtual_router_id 1
                  virtual_ipaddress {
                    192.0.2.1
                }
                """);
        assertThat(lines(r.errors())).containsExactly(
                at(4, "unexpected '}' without a matching '{'"),
                at(5, "missing '}': block 'vrrp_instance VI_1' is not closed"));
    }

    @Test
    void missingInterfaceOrVridDuplicateNamesAndVridClashes() {
        ParseResult r = parse("""
                vrrp_instance VI_1 {
                  virtual_router_id 1
                  virtual_ipaddress {
                    192.0.2.1
                  }
                }
                vrrp_instance VI_2 {
                  interface eth0
                  virtual_ipaddress {
                    192.0.2.2
                  }
                }
                vrrp_instance VI_3 {
                  interface eth0
                  virtual_router_id 51
                  virtual_ipaddress {
                    192.0.2.3
                  }
                }
                vrrp_instance VI_3 {
                  interface eth0
                  virtual_router_id 52
                }
                vrrp_instance VI_4 {
                  interface eth0
                  virtual_router_id 51
                  virtual_ipaddress {
                    192.0.2.4
                  }
                }
                vrrp_instance VI_6 {
                  interface eth0
                  virtual_router_id 51
                  virtual_ipaddress {
                    2001:db8::6
                  }
                }
                vrrp_instance VI_7 {
                  interface eth1
                  virtual_router_id 51
                  virtual_ipaddress {
                    192.0.2.7
                  }
                }
                """);
        assertThat(lines(r.errors())).containsExactly(
                at(1, "(VI_1) Unknown interface!"),
                at(7, "(VI_2) the virtual router id must be set"),
                at(20, "vrrp instance VI_3 already defined"),
                at(24, "VI_3 and VI_4 both use VRID 51 with IPv4 on interface eth0"));
        assertThat(r.model().instances()).extracting(VrrpInstance::name)
                .containsExactly("VI_1", "VI_2", "VI_3", "VI_4", "VI_6", "VI_7");
    }

    @Test
    void sameVridIsFineWithDisjointUnicastPeersOrAnotherGroup() {
        ParseResult r = parse("""
                vrrp_instance A {
                  interface eth0
                  virtual_router_id 9
                  unicast_peer {
                    192.0.2.11
                  }
                  virtual_ipaddress {
                    192.0.2.1
                  }
                }
                vrrp_instance B {
                  interface eth0
                  virtual_router_id 9
                  unicast_peer {
                    192.0.2.12
                  }
                  virtual_ipaddress {
                    192.0.2.2
                  }
                }
                vrrp_instance C {
                  interface eth0
                  virtual_router_id 9
                  mcast_dst_ip 224.0.0.19
                  virtual_ipaddress {
                    192.0.2.3
                  }
                }
                """);
        assertThat(r.diagnostics()).isEmpty();
    }

    @Test
    void mixedFamiliesInVirtualIpaddressAreAnError() {
        ParseResult r = parse("""
                vrrp_instance VI_1 {
                  interface eth0
                  virtual_router_id 1
                  virtual_ipaddress {
                    192.0.2.1/24
                    2001:db8::1/64
                  }
                  virtual_ipaddress_excluded {
                    2001:db8::2/64
                  }
                }
                """);
        assertThat(lines(r.diagnostics()))
                .containsExactly(at(6, "(VI_1): address family must match VRRP instance [2001:db8::1/64] - ignoring"));
        assertThat(r.hasErrors()).isTrue();
    }

    @Test
    void unknownAndUnsupportedKeywordsAreWarnings() {
        ParseResult r = parse("""
                global_defs {
                  router_id r1
                  frobnicate yes
                  vrrp_garp_master_delay 10
                }
                static_ipaddress {
                  192.0.2.100/24 dev eth0
                }
                linkbeat_interfaces {
                  eth0
                }
                vrrp_instance VI_1 {
                  interface eth0
                  virtual_router_id 1
                  wibble 3
                  unicast_ttl 4
                  virtual_ipaddress {
                    192.0.2.1
                  }
                }
                """);
        assertThat(r.errors()).isEmpty();
        assertThat(lines(r.warnings())).containsExactly(
                at(3, "Unknown keyword 'frobnicate'"),
                at(9, "'linkbeat_interfaces' is not supported by Vigil yet - ignoring"),
                at(15, "Unknown keyword 'wibble'"));
        assertThat(r.model().global().other()).containsEntry("vrrp_garp_master_delay", "10");
        assertThat(r.model().instances().get(0).extra()).extracting(ConfigNode::line).containsExactly("unicast_ttl 4");
    }

    @Test
    void keepalivedFixUpsAreWarningsWithItsWording() {
        ParseResult r = parse("""
                vrrp_instance V2_HALF {
                  interface eth0
                  virtual_router_id 1
                  advert_int 0.5
                  virtual_ipaddress {
                    192.0.2.1
                  }
                }
                vrrp_instance V3_LONG {
                  interface eth0
                  version 3
                  virtual_router_id 2
                  advert_int 41
                  virtual_ipaddress {
                    192.0.2.2
                  }
                }
                vrrp_instance TOO_SHORT {
                  interface eth0
                  version 3
                  virtual_router_id 3
                  advert_int 0.005
                  virtual_ipaddress {
                    192.0.2.3
                  }
                }
                vrrp_instance MASTER_NOPREEMPT {
                  state MASTER
                  priority 150
                  nopreempt
                  preempt_delay 5
                  interface eth0
                  virtual_router_id 4
                  virtual_ipaddress {
                    192.0.2.4
                  }
                }
                """);
        assertThat(r.errors()).isEmpty();
        assertThat(lines(r.warnings())).containsExactly(
                at(4, "(V2_HALF) VRRPv2 advertisement interval 0.500000s must be an integer. rounding"),
                at(13, "(V3_LONG) VRRPv3 advertisement interval 41.00s is out of range. Must be less than 40.96s."
                        + " Setting to 40.95s"),
                at(22, "number '0.005' outside range [0.010000, 255.000000]; (TOO_SHORT) Advert interval (0.005)"
                        + " not valid! Must be > 0 - ignoring"),
                at(27, "(MASTER_NOPREEMPT) Warning - nopreempt will not work with initial state MASTER - clearing"),
                at(27, "(MASTER_NOPREEMPT) Warning - preempt delay will not work with initial state MASTER - clearing"));
        KeepalivedModel m = r.model();
        assertThat(m.instance("V2_HALF").orElseThrow().advertIntCentis()).isEqualTo(100);
        assertThat(m.instance("V3_LONG").orElseThrow().advertIntCentis()).isEqualTo(4095);
        assertThat(m.instance("TOO_SHORT").orElseThrow().advertIntCentis()).isEqualTo(100);
        VrrpInstance mn = m.instance("MASTER_NOPREEMPT").orElseThrow();
        assertThat(mn.preempt()).isTrue();
        assertThat(mn.preemptDelayMillis()).isZero();
    }

    @Test
    void referencesToMissingScriptsAndInstancesAreWarnings() {
        ParseResult r = parse("""
                vrrp_script chk_empty {
                  interval 2
                }
                vrrp_sync_group G1 {
                  group {
                    VI_1
                    VI_X
                  }
                }
                vrrp_instance VI_1 {
                  interface eth0
                  virtual_router_id 1
                  track_script {
                    chk_empty
                  }
                  virtual_ipaddress {
                    192.0.2.1
                  }
                }
                """);
        assertThat(r.errors()).isEmpty();
        assertThat(lines(r.warnings())).containsExactly(
                at(1, "No script set for vrrp_script chk_empty - removing"),
                at(4, "Virtual router VI_X specified in sync group G1 doesn't exist - ignoring"),
                at(4, "Sync group G1 has only 1 virtual router(s) - this probably isn't what you want"),
                at(14, "(VI_1) track script chk_empty not found, ignoring..."));
    }

    @Test
    void authPassIsTruncatedToEightBytes() {
        ParseResult r = parse("""
                vrrp_instance VI_1 {
                  interface eth0
                  virtual_router_id 1
                  authentication {
                    auth_type PASS
                    auth_pass 123456789
                  }
                  virtual_ipaddress {
                    192.0.2.1
                  }
                }
                """);
        assertThat(lines(r.diagnostics())).containsExactly(at(6, "Truncating auth_pass to 8 characters"));
        assertThat(r.model().instances().get(0).authPass()).isEqualTo("12345678");
    }

    @Test
    void checkReportsUnknownInterfacesAsErrors() {
        Path f = write(dir, "keepalived.conf", """
                vrrp_instance VI_1 {
                  interface lan0
                  virtual_router_id 1
                  track_interface {
                    uplink0 weight -10
                  }
                  virtual_ipaddress {
                    192.0.2.1/24 dev lan1
                  }
                }
                """);
        Set<String> present = Set.of("lan0");
        List<Diagnostic> all = ConfigCheck.check(f, present::contains);
        assertThat(lines(all)).containsExactly(
                at(5, "(VI_1) tracked interface uplink0 doesn't exist"),
                at(8, "WARNING - interface lan1 for ip address 192.0.2.1 doesn't exist"));
        assertThat(all).allMatch(Diagnostic::isError);

        List<Diagnostic> none = ConfigCheck.check(f, name -> false);
        assertThat(lines(none)).contains(at(2, "WARNING - interface lan0 for vrrp_instance VI_1 doesn't exist"));
    }

    @Test
    void defaultInterfaceLookupKnowsLoopback() {
        assertThat(ConfigCheck.SYSTEM_INTERFACES.test("lo")).isTrue();
        assertThat(ConfigCheck.SYSTEM_INTERFACES.test("no-such-if0")).isFalse();
    }
}

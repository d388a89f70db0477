package org.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.vigil.config.ConfFiles.lines;
import static org.vigil.config.ConfFiles.write;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntaxTest {

    @TempDir
    Path dir;

    @Test
    void commentsAfterKeywordsAndBangCommentsAreIgnored() {
        Path f = write(dir, "k.conf", """
                ! whole-line bang comment
                # whole-line hash comment
                global_defs {   # after a brace
                  router_id r1  ! after a value
                }
                vrrp_instance VI_1 { # comment
                  state BACKUP#glued comment
                  interface eth0
                  virtual_router_id 51 # the VRID
                  priority 90!glued
                  virtual_ipaddress {
                    192.0.2.1/24 # vip
                  }
                }
                """);
        ParseResult r = KeepalivedConfig.parse(f, "x");
        assertThat(lines(r.diagnostics())).isEmpty();
        VrrpInstance vi = r.model().instance("VI_1").orElseThrow();
        assertThat(vi.state()).isEqualTo("BACKUP");
        assertThat(vi.priority()).isEqualTo(90);
        assertThat(r.model().global().routerId()).isEqualTo("r1");
        assertThat(vi.virtualIpaddress()).extracting(VirtualIp::text).containsExactly("192.0.2.1/24");
    }

    @Test
    void quotedStringsKeepSpacesCommentCharactersAndUtf8() {
        Path f = write(dir, "q.conf", """
                # Kommentar mit Umlauten: äöü ß — und Emoji 🚀
                global_defs {
                  notification_email {
                    "Zoë Ops <zoe@example.net>"
                  }
                  notification_email_from "Vigil Wächter <vigil@example.net>"
                  router_id 'r1 # not a comment'
                }
                vrrp_script chk {
                  script "/usr/bin/test -f '/run/a b' ! x"
                }
                vrrp_instance VI_1 {
                  interface eth0
                  virtual_router_id 1
                  notify_master "/bin/echo master\\tVI_1" root
                  virtual_ipaddress {
                    192.0.2.1
                  }
                }
                """);
        ParseResult r = KeepalivedConfig.parse(f, "x");
        assertThat(lines(r.diagnostics())).isEmpty();
        GlobalDefs g = r.model().global();
        assertThat(g.notificationEmail()).containsExactly("Zoë Ops <zoe@example.net>");
        assertThat(g.notificationEmailFrom()).isEqualTo("Vigil Wächter <vigil@example.net>");
        assertThat(g.routerId()).isEqualTo("r1 # not a comment");
        assertThat(r.model().script("chk").orElseThrow().script()).isEqualTo("/usr/bin/test -f '/run/a b' ! x");
        NotifyScript n = r.model().instance("VI_1").orElseThrow().notifies().get("notify_master");
        assertThat(n).isEqualTo(new NotifyScript("/bin/echo master\tVI_1", "root", null));
    }

    @Test
    void quotesInsideAWordJoinIt() {
        Path f = write(dir, "j.conf", """
                global_defs {
                  router_id abcd" efg h "ijk
                }
                """);
        ParseResult r = KeepalivedConfig.parse(f, "x");
        assertThat(r.model().global().routerId()).isEqualTo("abcd efg h ijk");
    }

    @Test
    void bracesOnTheNextLineOnOneLineAndAfterWords() {
        Path f = write(dir, "b.conf", """
                vrrp_instance VI_1
                {
                  interface eth0
                  virtual_router_id 7
                  authentication
                  {
                    auth_type PASS
                    auth_pass secret }
                  virtual_ipaddress { 192.0.2.7/24 }
                  track_interface {
                    eth1 weight -20 }
                }
                vrrp_instance VI_2 { interface eth0
                  virtual_router_id 8
                  virtual_ipaddress {
                    192.0.2.8 } }
                """);
        ParseResult r = KeepalivedConfig.parse(f, "x");
        assertThat(lines(r.diagnostics())).isEmpty();
        VrrpInstance vi1 = r.model().instance("VI_1").orElseThrow();
        assertThat(vi1.authPass()).isEqualTo("secret");
        assertThat(vi1.virtualIpaddress()).extracting(VirtualIp::text).containsExactly("192.0.2.7/24");
        assertThat(vi1.track("track_interface")).containsExactly("eth1 weight -20");
        VrrpInstance vi2 = r.model().instance("VI_2").orElseThrow();
        assertThat(vi2.interfaceName()).isEqualTo("eth0");
        assertThat(vi2.virtualIpaddress()).extracting(VirtualIp::text).containsExactly("192.0.2.8");
    }

    @Test
    void nestedUnknownBlocksAreSkippedAsAWhole() {
        Path f = write(dir, "n.conf", """
                bfd_instance b1 {
                  outer 192.0.2.21 {
                    inner {
                      path /
                    }
                  }
                }
                vrrp_instance VI_1 {
                  interface eth0
                  virtual_router_id 9
                  virtual_ipaddress {
                    192.0.2.9
                  }
                }
                """);
        ParseResult r = KeepalivedConfig.parse(f, "x");
        assertThat(lines(r.diagnostics()))
                .containsExactly(f + ":1: 'bfd_instance' is not supported: Vigil has no BFD (RFC 5880) - ignoring");
        assertThat(r.model().unsupported()).singleElement().satisfies(n -> {
            assertThat(n.keyword()).isEqualTo("bfd_instance");
            assertThat(n.children().get(0).children().get(0).keyword()).isEqualTo("inner");
        });
        assertThat(r.model().instances()).hasSize(1);
    }

    @Test
    void includesWithGlobsAreRelativeToTheIncludingFile() {
        write(dir, "conf.d/20-vi2.conf", "vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 2\n"
                + " virtual_ipaddress {\n 192.0.2.2\n }\n}\n");
        write(dir, "conf.d/10-vi1.conf", "include ../common/scripts.conf\n"
                + "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n track_script {\n chk\n }\n"
                + " virtual_ipaddress {\n 192.0.2.1\n }\n}\n");
        write(dir, "conf.d/ignored.txt", "this is not a config\n");
        write(dir, "common/scripts.conf", "vrrp_script chk {\n script /bin/true\n}\n");
        Path main = write(dir, "keepalived.conf", "global_defs {\n router_id r1\n}\ninclude conf.d/*.conf\n");
        ParseResult r = KeepalivedConfig.parse(main, "x");
        assertThat(lines(r.diagnostics())).isEmpty();
        assertThat(r.model().instances()).extracting(VrrpInstance::name).containsExactly("VI_1", "VI_2");
        assertThat(r.model().instance("VI_2").orElseThrow().origin())
                .isEqualTo(new Origin(dir.resolve("conf.d/20-vi2.conf").toString(), 1));
        assertThat(r.model().script("chk")).isPresent();
    }

    @Test
    void absoluteIncludeAndBraceGlob() {
        Path a = write(dir, "x/a.conf", "global_defs {\n router_id from-a\n}\n");
        write(dir, "x/b.conf", "global_defs {\n smtp_helo_name from-b\n}\n");
        Path main = write(dir, "main/keepalived.conf", "include " + a + "\ninclude ../x/{b,c}.conf\n");
        ParseResult r = KeepalivedConfig.parse(main, "x");
        assertThat(lines(r.diagnostics())).isEmpty();
        assertThat(r.model().global().routerId()).isEqualTo("from-a");
        assertThat(r.model().global().smtpHeloName()).isEqualTo("from-b");
    }

    @Test
    void malformedIncludeGlobMatchesNothingInsteadOfFailingTheWholeFile() {
        // found by the fuzzer (distribution/fuzz): an unclosed '[' made getPathMatcher throw and
        // the whole configuration came back as one "internal error"
        write(dir, "conf.d/a.conf", "global_defs {\n router_id from-a\n}\n");
        Path main = write(dir, "keepalived.conf", "include conf.d/[a-\ninclude conf.d/{a\n"
                + "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
                + " virtual_ipaddress {\n 192.0.2.1\n }\n}\n");
        ParseResult r = KeepalivedConfig.parse(main, "x");
        assertThat(lines(r.diagnostics())).containsExactly(
                main + ":1: no file matches include pattern 'conf.d/[a-'",
                main + ":2: no file matches include pattern 'conf.d/{a'");
        assertThat(r.model().instance("VI_1")).isPresent();
    }

    @Test
    void aRunOfStarsInAnIncludeGlobDoesNotBacktrackForever() {
        // found by the fuzzer: 120 stars became 120 [^/]* in a row in the file system's regex,
        // which never finished (GlobName matches without that regex now)
        write(dir, "conf.d/x-vi1.conf", "global_defs {\n router_id starred\n}\n");
        Path main = write(dir, "keepalived.conf", "include conf.d/" + "*".repeat(120) + "vi1.conf\n");
        ParseResult r = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> KeepalivedConfig.parse(main, "x"));
        assertThat(lines(r.diagnostics())).isEmpty();
        assertThat(r.model().global().routerId()).isEqualTo("starred");
    }

    @Test
    void includeNameWithANulCharacterIsAnError() {
        // found by the fuzzer: InvalidPathException became an "internal error" for the whole file
        Path main = write(dir, "keepalived.conf", "include a\u0000b.conf\ninclude c\u0000*.conf\n");
        ParseResult r = KeepalivedConfig.parse(main, "x");
        assertThat(lines(r.diagnostics())).containsExactly(
                main + ":1: invalid include file name 'a\\0b.conf': Nul character not allowed",
                main + ":2: invalid include file name 'c\\0*.conf': Nul character not allowed");
    }

    @Test
    void hexEscapeWithManyDigitsKeepsTheLowByte() {
        // \x took every hex digit and Integer.parseInt overflowed past eight of them
        Path main = write(dir, "keepalived.conf", "global_defs {\n router_id \"a\\x123456789abcz\"\n}\n");
        ParseResult r = KeepalivedConfig.parse(main, "x");
        assertThat(lines(r.diagnostics())).isEmpty();
        assertThat(r.model().global().routerId()).isEqualTo("a\u00bcz");
    }

    @Test
    void parametersThatDoubleAtEveryLevelAreStopped() {
        // $A=$A $A doubled the line 32 times (2^32 words) before the depth guard stopped it
        Path main = write(dir, "keepalived.conf", "$A=$A $A\nglobal_defs {\n router_id r1\n}\n$A\n$A\n");
        ParseResult r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> KeepalivedConfig.parse(main, "x"));
        assertThat(lines(r.diagnostics())).containsExactly(main + ":5: parameter substitution produces more than "
                + Lexer.MAX_SUBSTITUTED_CHARS + " characters - ignoring this and later substituted lines");
        assertThat(r.model().global().routerId()).isEqualTo("r1");
    }

    @Test
    void bracesNestedTwentyThousandDeepAreAnErrorNotAStackOverflow() {
        // found by the fuzzer: TreeBuilder recursed once per '{' and StackOverflowError escaped parse()
        Path main = write(dir, "keepalived.conf", "global_defs {\n router_id r1\n}\nx " + "{".repeat(20_000)
                + "\n" + "}".repeat(20_000) + "\nvrrp_script chk {\n script /bin/true\n}\n");
        ParseResult r = KeepalivedConfig.parse(main, "x");
        assertThat(lines(r.errors())).contains(main + ":4: blocks nested more than " + TreeBuilder.MAX_DEPTH
                + " deep - ignoring block '{'");
        assertThat(r.model().global().routerId()).isEqualTo("r1");
        assertThat(r.model().script("chk")).isPresent();
    }

    @Test
    void includeLoopsAreDetected() {
        Path a = write(dir, "a.conf", "global_defs {\n router_id r1\n}\ninclude b.conf\n");
        Path b = write(dir, "b.conf", "include a.conf\n");
        ParseResult r = KeepalivedConfig.parse(a, "x");
        assertThat(lines(r.diagnostics()))
                .containsExactly(b + ":1: include loop: '" + a + "' is already being read");
        assertThat(r.model().global().routerId()).isEqualTo("r1");
    }

    @Test
    void selfIncludeThroughAGlobIsALoopToo() {
        Path a = write(dir, "a.conf", "include *.conf\n");
        ParseResult r = KeepalivedConfig.parse(a, "x");
        assertThat(r.errors()).singleElement().satisfies(d -> {
            assertThat(d.line()).isEqualTo(1);
            assertThat(d.message()).startsWith("include loop");
        });
    }

    @Test
    void missingIncludeIsAnErrorAndAnEmptyGlobAWarning() {
        Path main = write(dir, "k.conf", "include missing.conf\ninclude conf.d/*.conf\n");
        ParseResult r = KeepalivedConfig.parse(main, "x");
        assertThat(lines(r.diagnostics())).containsExactly(
                main + ":1: Config files missing '" + dir.resolve("missing.conf") + "'.",
                main + ":2: no file matches include pattern 'conf.d/*.conf'");
        assertThat(r.errors()).hasSize(1);
    }

    @Test
    void missingMainFileIsADiagnosticNotAnException() {
        Path nowhere = dir.resolve("nope.conf");
        ParseResult r = KeepalivedConfig.parse(nowhere, "x");
        assertThat(lines(r.diagnostics()))
                .containsExactly(nowhere + ":0: cannot open configuration file '" + nowhere + "': no such file");
        assertThat(r.model().instances()).isEmpty();
    }

    @Test
    void conditionalLinesFollowTheConfigId() {
        Path f = write(dir, "c.conf", """
                global_defs {
                  @main   router_id main_router
                  @backup router_id backup_router
                }
                vrrp_instance VI_1 {
                  interface eth0
                  virtual_router_id 1
                  @main priority 200
                  @^main priority 100
                  virtual_ipaddress {
                    192.0.2.1
                  }
                }
                """);
        ParseResult main = KeepalivedConfig.parse(f, "main");
        assertThat(main.model().global().routerId()).isEqualTo("main_router");
        assertThat(main.model().instances().get(0).priority()).isEqualTo(200);
        ParseResult other = KeepalivedConfig.parse(f, "other");
        assertThat(other.model().global().routerId()).isNull();
        assertThat(other.model().instances().get(0).priority()).isEqualTo(100);
        assertThat(other.diagnostics()).isEmpty();
    }

    @Test
    void parametersAreSubstitutedIncludingMultiLineDefinitions() {
        Path f = write(dir, "p.conf", """
                $IF=eth0
                $BASE=192.0.2
                @main $PRIO=240
                @backup $PRIO=200
                $INSTANCE= \\
                vrrp_instance VI_${NUM} { \\
                    interface $IF \\
                    virtual_router_id ${NUM} \\
                    priority $PRIO \\
                    virtual_ipaddress { \\
                        ${BASE}.${NUM}/24 \\
                    } \\
                }
                $NUM=1
                $INSTANCE
                $NUM=2
                $INSTANCE
                global_defs {
                  router_id ${_INSTANCE}
                  notification_email_from a${_HASH}b
                }
                """);
        ParseResult r = KeepalivedConfig.parse(f, "backup");
        assertThat(lines(r.diagnostics())).isEmpty();
        assertThat(r.model().instances()).extracting(VrrpInstance::name).containsExactly("VI_1", "VI_2");
        VrrpInstance vi2 = r.model().instance("VI_2").orElseThrow();
        assertThat(vi2.virtualRouterId()).isEqualTo(2);
        assertThat(vi2.priority()).isEqualTo(200);
        assertThat(vi2.interfaceName()).isEqualTo("eth0");
        assertThat(vi2.virtualIpaddress()).extracting(VirtualIp::text).containsExactly("192.0.2.2/24");
        assertThat(vi2.origin().line()).isEqualTo(17);
        assertThat(r.model().global().routerId()).isEqualTo("backup");
        assertThat(r.model().global().notificationEmailFrom()).isEqualTo("a#b");
    }

    @Test
    void undefinedParametersStayAsWritten() {
        Path f = write(dir, "u.conf", "vrrp_script s {\n script \"/bin/sh -c 'echo $HOME ${UNSET}'\"\n}\n");
        ParseResult r = KeepalivedConfig.parse(f, "x");
        assertThat(r.model().script("s").orElseThrow().script()).isEqualTo("/bin/sh -c 'echo $HOME ${UNSET}'");
    }

    @Test
    void includeInsideABlockAndDiagnosticsNameTheIncludedFile() {
        Path vips = write(dir, "vips.conf", "192.0.2.1/24\n192.0.2.999\n");
        Path main = write(dir, "k.conf", "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
                + " virtual_ipaddress {\n  include vips.conf\n }\n}\n");
        ParseResult r = KeepalivedConfig.parse(main, "x");
        assertThat(lines(r.diagnostics())).containsExactly(vips + ":2: VRRP parsed invalid IP 192.0.2.999. skipping IP...");
        assertThat(r.model().instances().get(0).virtualIpaddress()).singleElement()
                .satisfies(v -> assertThat(v.origin()).isEqualTo(new Origin(vips.toString(), 1)));
    }

    @Test
    void byteOrderMarkIsSkippedAndInvalidUtf8IsAWarning() throws java.io.IOException {
        Path bom = dir.resolve("bom.conf");
        java.nio.file.Files.write(bom, ("\uFEFFglobal_defs {\n router_id r1\n}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ParseResult r = KeepalivedConfig.parse(bom, "x");
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.model().global().routerId()).isEqualTo("r1");

        Path latin1 = dir.resolve("latin1.conf");
        java.nio.file.Files.write(latin1, "# K\u00e4se\nglobal_defs {\n router_id r2\n}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        ParseResult l = KeepalivedConfig.parse(latin1, "x");
        assertThat(lines(l.diagnostics())).containsExactly(latin1 + ":0: file is not valid UTF-8; invalid bytes replaced");
        assertThat(l.model().global().routerId()).isEqualTo("r2");
    }
}

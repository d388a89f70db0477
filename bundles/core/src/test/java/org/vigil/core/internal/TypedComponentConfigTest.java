package org.vigil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vigil.api.vrrp.TrackEntry;

/**
 * The sync group, vrrp_track_process, vrrp_script and auth_hmac attributes as their components
 * read them: typed values (as the bridge writes them and as a hand-written .config file carries
 * them) converted by Felix SCR itself, and errors that name the attribute.
 */
class TypedComponentConfigTest {

    private static Map<String, Object> group(Object... keyValues) {
        Map<String, Object> p = new HashMap<>();
        p.put("name", "G1");
        p.put("group", new String[] {"VI_1", "VI_2"});
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put((String) keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void aSyncGroupReadsItsMembersTrackingWeightAndTrackEntries() {
        SyncGroupComponent.Group g = SyncGroupComponent.Group.from(TypedConfigs.syncGroup(group(
                "sync.group.tracking.weight", true,
                "track.script", new String[] {"chk weight -20 reverse"},
                "track.interface", new String[] {"eth1", " "},
                "track.file", new String[] {"/run/prio weight 3 init_file 7 overwrite"},
                "track.process", new String[] {"haproxy weight -254"})));
        assertThat(g.name()).isEqualTo("G1");
        assertThat(g.members()).containsExactly("VI_1", "VI_2");
        assertThat(g.trackingWeight()).isTrue();
        assertThat(g.tracks().scripts()).containsExactly(new TrackEntry("chk", -20, true));
        assertThat(g.tracks().interfaces()).as("a blank value is no entry").containsExactly(new TrackEntry("eth1", null, null));
        assertThat(g.tracks().files()).containsExactly(new TrackEntry("/run/prio", 3, null, 7L, true));
        assertThat(g.tracks().processes()).containsExactly(new TrackEntry("haproxy", -254, null));
        assertThat(SyncGroupComponent.Group.from(TypedConfigs.syncGroup(group())).trackingWeight()).isFalse();
    }

    @Test
    void aSyncGroupThatDoesNotFitItsFormNamesTheAttribute() {
        assertThatThrownBy(() -> SyncGroupComponent.Group.from(TypedConfigs.syncGroup(group(
                "track.script", new String[] {"chk weight 254"}))))
                .hasMessage("attribute track.script: track entry 'chk weight 254': weight 254 not in -253..253");
        assertThatThrownBy(() -> SyncGroupComponent.Group.from(TypedConfigs.syncGroup(group(
                "track.interface", new String[] {"eth1 wieght 2"}))))
                .hasMessage("attribute track.interface: track entry 'eth1 wieght 2': unknown word wieght");
        Map<String, Object> nameless = group();
        nameless.remove("name");
        assertThatThrownBy(() -> SyncGroupComponent.Group.from(TypedConfigs.syncGroup(nameless)))
                .hasMessage("attribute name: required");
    }

    @Test
    void aTrackedProcessIsReadFromItsTypedAttributes() {
        Map<String, Object> p = new HashMap<>();
        p.put("name", "haproxy");
        p.put("process", new String[] {"/usr/sbin/haproxy", "-f"});
        p.put("param.match", "partial");
        p.put("weight", -40);
        p.put("weight.reverse", true);
        p.put("quorum", 2);
        p.put("quorum.max", 4);
        p.put("fork.delay.ms", 1250L);
        p.put("full.command", true);
        ProcessSpec s = TypedConfigs.process(p);
        assertThat(s).isEqualTo(new ProcessSpec("haproxy", java.util.List.of("/usr/sbin/haproxy", "-f"),
                ProcessSpec.ParamMatch.PARTIAL, -40, true, 2, 4, 1250, 0, true));

        p.put("param.match", "prefix");
        assertThatThrownBy(() -> TypedConfigs.process(p))
                .hasMessage("attribute param.match: 'prefix' is not exact, initial or partial");
        p.put("param.match", "");
        p.put("quorum.max", 1);
        assertThatThrownBy(() -> TypedConfigs.process(p)).hasMessage("attribute quorum.max: 1 is less than quorum 2");
        p.put("quorum.max", "many");
        assertThatThrownBy(() -> TypedConfigs.process(p)).hasMessageStartingWith("attribute quorum.max");
        p.remove("process");
        p.put("quorum.max", 4);
        assertThatThrownBy(() -> TypedConfigs.process(p)).hasMessage("attribute process: required");
    }

    @Test
    void aScriptsUserGroupAndSupplementaryGroupsAreThreeAttributes() {
        Map<String, Object> p = new HashMap<>();
        p.put("name", "chk");
        p.put("script", "/bin/true");
        ScriptSpec none = ScriptSpec.from(TypedConfigs.typed(VrrpScriptComponent.Config.class, p));
        assertThat(none.runAs()).isNull();
        p.put("user", "www-data");
        assertThat(ScriptSpec.from(TypedConfigs.typed(VrrpScriptComponent.Config.class, p)).runAs())
                .hasToString("www-data");
        p.put("group", "web");
        assertThat(ScriptSpec.from(TypedConfigs.typed(VrrpScriptComponent.Config.class, p)).runAs())
                .hasToString("www-data web");
        p.put("supplementary.groups", true);
        assertThat(ScriptSpec.from(TypedConfigs.typed(VrrpScriptComponent.Config.class, p)).runAs())
                .hasToString("www-data :web");
        p.remove("group");
        assertThat(ScriptSpec.from(TypedConfigs.typed(VrrpScriptComponent.Config.class, p)).runAs())
                .hasToString("www-data :");
        p.put("user", "www-data web");
        assertThatThrownBy(() -> ScriptSpec.from(TypedConfigs.typed(VrrpScriptComponent.Config.class, p)))
                .hasMessage("attribute user: user 'www-data web': one name expected");
        p.remove("user");
        assertThatThrownBy(() -> ScriptSpec.from(TypedConfigs.typed(VrrpScriptComponent.Config.class, p)))
                .hasMessage("attribute user: a group needs a user");
    }

    @Test
    void authHmacKeysAreHexWithTheirIdsAtTheSameIndexAndErrorsNeverQuoteAKey() {
        String hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        Map<String, Object> p = new HashMap<>();
        p.put("name", "VI_1");
        p.put("interface", "lan0");
        p.put("virtual.router.id", 51);
        p.put("version", 3);
        p.put("auth.hmac.keys", new String[] {hex, hex.replace('0', '1')});
        p.put("auth.hmac.key.ids", new int[] {3, 9});
        p.put("auth.hmac.active.key", 9);
        InstanceConfig c = TypedConfigs.instance(p);
        assertThat(c.authHmac().keyIds()).containsExactly(3, 9);
        assertThat(c.authHmac().activeKey()).isEqualTo(9);

        p.put("auth.hmac.key.ids", new int[] {3});
        assertThatThrownBy(() -> TypedConfigs.instance(p)).hasMessage("attribute auth.hmac.key.ids: 1 ids for 2 keys");
        p.put("auth.hmac.key.ids", new int[] {3, 9});
        p.put("auth.hmac.keys", new String[] {hex, "zz" + hex});
        assertThatThrownBy(() -> TypedConfigs.instance(p)).hasMessage("attribute auth.hmac.keys: key 9 is not hex")
                .message().doesNotContain(hex);
    }
}

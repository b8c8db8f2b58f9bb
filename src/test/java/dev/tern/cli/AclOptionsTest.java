package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.acl.AclMode;
import dev.tern.acl.AclSettings;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AclOptionsTest {
    private static AclOptions parse(String... args) {
        return MixinParser.parse(new AclOptions(), args);
    }

    private static AclSettings settings(String... args) {
        return parse(args).settings(new RateOptions());
    }

    @Test
    void defaultsAreOpen() {
        AclSettings s = settings();
        assertEquals(AclMode.NONE, s.mode());
        assertTrue(s.identities().isEmpty());
        assertEquals(60, s.nip98WindowSeconds());
        assertEquals(0, s.eventsPerSecond());
    }

    @Test
    void flagsAreParsed() throws Exception {
        String hex = "a".repeat(64);
        AclSettings s = parse("--acl-mode", "Managed", "--owners", hex, "--ip-deny", "10.0.0.0/8")
                .settings(MixinParser.parse(new RateOptions(), "--ip-events-per-second", "5"));
        assertEquals(AclMode.MANAGED, s.mode());
        assertEquals(1, s.identities().owners().size());
        assertTrue(!s.ipRules().check(InetAddress.getByName("10.1.1.1")).allowed());
        assertEquals(5, s.eventsPerSecond());
    }

    @Test
    void badValuesNameTheEntry() {
        var e = assertThrows(IllegalArgumentException.class, () -> settings("--admins", "nobody"));
        assertEquals("TERN_ADMINS: 'nobody' is not a public key (npub1... or 64 hex characters)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> settings("--ip-allow", "1.2.3.4/40"));
        assertEquals("TERN_IP_ALLOW: '1.2.3.4/40' has a bad prefix length (0..32)", e.getMessage());
        assertThrows(CommandLine.ParameterException.class, () -> parse("--acl-mode", "everyone"));
    }
}

package dev.tern.relay;

import dev.tern.acl.Acl;
import dev.tern.acl.AclMode;
import dev.tern.acl.ManagedState;
import dev.tern.event.JsonBytes;
import java.util.ArrayList;
import java.util.List;

/**
 * The NIP-11 relay information document, from the configuration and, in managed mode, the name,
 * description and icon set through NIP-86.
 */
final class Nip11Document {
    private Nip11Document() {}

    static byte[] render(RelayConfig config, Acl acl, boolean search) {
        RelayInfo info = config.info();
        RelayLimits limits = config.limits();
        AuthMode auth = config.authMode();
        ManagedState managed = acl.managed();
        JsonBytes b = new JsonBytes(1024);
        b.ascii("{\"name\":").string(managed == null ? info.name() : managed.relayName().orElse(info.name()));
        b.ascii(",\"description\":").string(managed == null ? info.description()
                : managed.relayDescription().orElse(info.description()));
        if (managed != null && managed.relayIcon().isPresent()) b.ascii(",\"icon\":").string(managed.relayIcon().get());
        if (!info.pubkey().isEmpty()) b.ascii(",\"pubkey\":").string(info.pubkey());
        if (!info.contact().isEmpty()) b.ascii(",\"contact\":").string(info.contact());
        if (!info.software().isEmpty()) b.ascii(",\"software\":").string(info.software());
        b.ascii(",\"version\":").string(info.version());
        b.ascii(",\"supported_nips\":[");
        List<Integer> nips = new ArrayList<>(RelayInfo.SUPPORTED_NIPS);
        if (config.sync().enabled()) nips.add(77);
        if (search) nips.add(50); // NIP-50 only while the search index is on
        if (acl.proofOfWork().minDifficulty() > 0) nips.add(13);
        if (managed != null) nips.add(86);
        nips.sort(null);
        for (int i = 0; i < nips.size(); i++) {
            if (i > 0) b.raw((byte) ',');
            b.number(nips.get(i));
        }
        b.ascii("],\"limitation\":{");
        b.ascii("\"max_message_length\":").number(limits.maxMessageBytes());
        b.ascii(",\"max_subscriptions\":").number(limits.maxSubscriptions());
        b.ascii(",\"max_filters\":").number(limits.maxFilters());
        b.ascii(",\"max_limit\":").number(limits.maxLimit());
        b.ascii(",\"default_limit\":").number(limits.defaultLimit());
        b.ascii(",\"max_subid_length\":").number(RelayLimits.MAX_SUBID_LENGTH);
        b.ascii(",\"max_event_tags\":").number(limits.maxEventTags());
        b.ascii(",\"max_content_length\":").number(limits.maxContentLength());
        if (limits.createdAtLowerLimit() > 0) b.ascii(",\"created_at_lower_limit\":").number(limits.createdAtLowerLimit());
        if (limits.createdAtUpperLimit() > 0) b.ascii(",\"created_at_upper_limit\":").number(limits.createdAtUpperLimit());
        b.ascii(",\"auth_required\":").ascii(auth == AuthMode.ALL ? "true" : "false");
        boolean restricted = auth.writeNeedsAuth() || acl.policy().mode() != AclMode.NONE;
        b.ascii(",\"restricted_writes\":").ascii(restricted ? "true" : "false");
        b.ascii(",\"payment_required\":false");
        if (acl.proofOfWork().minDifficulty() > 0) b.ascii(",\"min_pow_difficulty\":").number(acl.proofOfWork().minDifficulty());
        b.ascii("}}");
        return b.toByteArray();
    }
}

package dev.tern.cli;

import dev.tern.acl.AclSettings;
import dev.tern.relay.RelayLimits;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * How much one connection and one address may do: the rate and connection settings, named by what they
 * count per. Older names (before they were grouped) still work, hidden from the help; the new name wins
 * when both are set, and each old name in use is reported by {@link #renamedInUse} for a start-up warning.
 */
final class RateOptions {
    @Option(names = "--connection-events-per-second", paramLabel = "N", defaultValue = "${env:TERN_CONNECTION_EVENTS_PER_SECOND}",
            description = "Sustained EVENTs per second per connection; 0 = unlimited (env TERN_CONNECTION_EVENTS_PER_SECOND, default " + RelayLimits.DEFAULT_EVENTS_PER_SECOND + ").")
    Double connectionEventsPerSecond;

    @Option(names = "--connection-event-burst", paramLabel = "N", defaultValue = "${env:TERN_CONNECTION_EVENT_BURST}",
            description = "EVENTs a connection may send at once before its rate applies (env TERN_CONNECTION_EVENT_BURST, default " + RelayLimits.DEFAULT_EVENT_BURST + ").")
    Integer connectionEventBurst;

    @Option(names = "--ip-max-connections", paramLabel = "N", defaultValue = "${env:TERN_IP_MAX_CONNECTIONS}",
            description = "Open connections from one address at once (env TERN_IP_MAX_CONNECTIONS, default " + RelayLimits.DEFAULT_MAX_CONNECTIONS_PER_IP + ").")
    Integer ipMaxConnections;

    @Option(names = "--ip-connections-per-minute", paramLabel = "N", defaultValue = "${env:TERN_IP_CONNECTIONS_PER_MINUTE}",
            description = "New connections per minute per address (IPv6: per /64); 0 = unlimited "
                    + "(env TERN_IP_CONNECTIONS_PER_MINUTE, default " + AclSettings.DEFAULT_IP_CONNECTIONS_PER_MINUTE + ").")
    Integer ipConnectionsPerMinute;

    @Option(names = "--ip-events-per-second", paramLabel = "N", defaultValue = "${env:TERN_IP_EVENTS_PER_SECOND}",
            description = "EVENTs per second per address (IPv6: per /64), over all its connections; 0 = unlimited "
                    + "(env TERN_IP_EVENTS_PER_SECOND, default " + AclSettings.DEFAULT_IP_EVENTS_PER_SECOND + ").")
    Integer ipEventsPerSecond;

    @Option(names = "--ip-max-tracked", paramLabel = "N", defaultValue = "${env:TERN_IP_MAX_TRACKED}",
            description = "Most addresses the per-address rates track; the least recently seen are forgotten first "
                    + "(env TERN_IP_MAX_TRACKED, default " + AclSettings.DEFAULT_IP_MAX_TRACKED + ").")
    Integer ipMaxTracked;

    // the names these replace
    @Option(names = "--event-rate", hidden = true, defaultValue = "${env:TERN_EVENT_RATE}") Double oldEventRate;
    @Option(names = "--event-burst", hidden = true, defaultValue = "${env:TERN_EVENT_BURST}") Integer oldEventBurst;
    @Option(names = "--max-connections-per-ip", hidden = true, defaultValue = "${env:TERN_MAX_CONNECTIONS_PER_IP}") Integer oldMaxConnectionsPerIp;
    @Option(names = "--rate-connections-per-minute", hidden = true, defaultValue = "${env:TERN_RATE_CONNECTIONS_PER_MINUTE}") Integer oldConnectionsPerMinute;
    @Option(names = "--rate-events-per-second", hidden = true, defaultValue = "${env:TERN_RATE_EVENTS_PER_SECOND}") Integer oldIpEventsPerSecond;
    @Option(names = "--rate-max-ips", hidden = true, defaultValue = "${env:TERN_RATE_MAX_IPS}") Integer oldRateMaxIps;

    private final Set<String> renamedInUse = new LinkedHashSet<>();

    double connectionEventsPerSecond() {
        return pick(connectionEventsPerSecond, oldEventRate, "TERN_EVENT_RATE (--event-rate)",
                "TERN_CONNECTION_EVENTS_PER_SECOND (--connection-events-per-second)", (double) RelayLimits.DEFAULT_EVENTS_PER_SECOND);
    }

    int connectionEventBurst() {
        return pick(connectionEventBurst, oldEventBurst, "TERN_EVENT_BURST (--event-burst)",
                "TERN_CONNECTION_EVENT_BURST (--connection-event-burst)", RelayLimits.DEFAULT_EVENT_BURST);
    }

    int ipMaxConnections() {
        return pick(ipMaxConnections, oldMaxConnectionsPerIp, "TERN_MAX_CONNECTIONS_PER_IP (--max-connections-per-ip)",
                "TERN_IP_MAX_CONNECTIONS (--ip-max-connections)", RelayLimits.DEFAULT_MAX_CONNECTIONS_PER_IP);
    }

    int ipConnectionsPerMinute() {
        return pick(ipConnectionsPerMinute, oldConnectionsPerMinute, "TERN_RATE_CONNECTIONS_PER_MINUTE (--rate-connections-per-minute)",
                "TERN_IP_CONNECTIONS_PER_MINUTE (--ip-connections-per-minute)", AclSettings.DEFAULT_IP_CONNECTIONS_PER_MINUTE);
    }

    int ipEventsPerSecond() {
        return pick(ipEventsPerSecond, oldIpEventsPerSecond, "TERN_RATE_EVENTS_PER_SECOND (--rate-events-per-second)",
                "TERN_IP_EVENTS_PER_SECOND (--ip-events-per-second)", AclSettings.DEFAULT_IP_EVENTS_PER_SECOND);
    }

    int ipMaxTracked() {
        return pick(ipMaxTracked, oldRateMaxIps, "TERN_RATE_MAX_IPS (--rate-max-ips)", "TERN_IP_MAX_TRACKED (--ip-max-tracked)", AclSettings.DEFAULT_IP_MAX_TRACKED);
    }

    /** One line per old name whose value was used, naming what replaces it. */
    List<String> renamedInUse() {
        return List.copyOf(renamedInUse);
    }

    private <T> T pick(T value, T old, String oldName, String newName, T fallback) {
        if (value != null) return value;
        if (old == null) return fallback;
        renamedInUse.add(oldName + " is renamed " + newName + "; the old name still works for now");
        return old;
    }
}

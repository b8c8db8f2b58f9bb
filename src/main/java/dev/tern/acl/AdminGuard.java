package dev.tern.acl;

import dev.tern.event.ByteKey;
import java.net.InetAddress;

/**
 * The gate in front of the admin HTTP endpoints (/api/import, /api/export, /api/stats, NIP-86).
 * With owners or admins configured, a request needs a NIP-98 Authorization signed by one of them,
 * wherever it comes from. With none configured there is no one to sign, so only loopback clients
 * are served: an operator on the machine keeps control and nobody else gets it.
 */
public final class AdminGuard {
    private final Identities identities;
    private final Nip98Validator nip98;

    public AdminGuard(Identities identities, Nip98Validator nip98) {
        this.identities = identities;
        this.nip98 = nip98;
    }

    public sealed interface Result {
        /** {@code pubkey} is the NIP-98 signer, or null for a loopback client admitted without owners configured. */
        record Allowed(ByteKey pubkey) implements Result {}

        /** Answer with HTTP {@code status} (401, 403 or 429) and {@code reason}. */
        record Denied(int status, String reason) implements Result {}
    }

    /**
     * @param authorization the Authorization header value, or null
     * @param bodySha256    SHA-256 of the request body, or null when there is none
     */
    public Result check(String method, String absoluteUrl, String authorization, byte[] bodySha256, InetAddress remote) {
        if (identities.isEmpty()) {
            return remote.isLoopbackAddress() ? new Result.Allowed(null)
                    : new Result.Denied(403, "the admin API serves loopback clients only while no TERN_OWNERS or TERN_ADMINS are configured");
        }
        return switch (nip98.validate(authorization, method, absoluteUrl, bodySha256)) {
            case Nip98Validator.Result.Valid v -> new Result.Allowed(v.pubkey());
            case Nip98Validator.Result.Invalid i -> new Result.Denied(i.status(), i.reason());
        };
    }
}

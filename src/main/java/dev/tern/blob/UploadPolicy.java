package dev.tern.blob;

import dev.tern.acl.AclPolicy;
import dev.tern.acl.Decision;
import dev.tern.event.ByteKey;
import dev.tern.event.Hex;

/** Who may store blobs ({@link AclPolicy#canStoreBlobs}) and who has no quota, by hex pubkey. */
final class UploadPolicy {
    private final AclPolicy acl;
    private final boolean publicUploads;

    UploadPolicy(AclPolicy acl, boolean publicUploads) {
        this.acl = acl;
        this.publicUploads = publicUploads;
    }

    /** Why {@code pubkey} may not upload (403), or null if it may. */
    String refusal(String pubkey) {
        return acl.canStoreBlobs(key(pubkey), publicUploads) instanceof Decision.Deny d ? d.message() : null;
    }

    /** Owners and admins have no quota. */
    boolean isPrivileged(String pubkey) {
        return acl.isPrivileged(key(pubkey));
    }

    private static ByteKey key(String pubkey) {
        return ByteKey.of(Hex.decodeLower(pubkey, 32));
    }
}

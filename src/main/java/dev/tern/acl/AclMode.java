package dev.tern.acl;

/** Who may write (TERN_ACL_MODE). Everyone may read in every mode; NIP-42 read restrictions are the relay's TERN_AUTH_REQUIRED. */
public enum AclMode {
    /** Anyone may write, subject to IP rules and rate limits. */
    NONE,
    /** Owners, admins and the pubkeys their newest kind-3 lists follow (NIP-02). */
    FOLLOWS,
    /** Decisions made through the NIP-86 management API: bans, an allow list, allowed kinds, blocked IPs. */
    MANAGED
}

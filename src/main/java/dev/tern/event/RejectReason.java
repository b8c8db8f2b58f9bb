package dev.tern.event;

/** Why an input was refused; import reports count by these, and the wire message carries a NIP-01 prefix. */
public enum RejectReason {
    MALFORMED_JSON("malformed JSON"),
    BAD_FIELD("bad field"),
    BAD_ID("bad id"),
    BAD_SIGNATURE("bad signature"),
    INVALID_UTF8("invalid UTF-8"),
    LINE_TOO_LONG("line too long"),
    POLICY("policy");

    private final String label;

    RejectReason(String label) { this.label = label; }

    /** Human label, as used in import reports. */
    public String label() { return label; }
}

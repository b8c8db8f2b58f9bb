package dev.tern.cli;

import dev.tern.acl.AclMode;
import picocli.CommandLine.Option;

/** Who may write; `serve` enforces it, and `tern import` applies managed mode's bans (see AclPolicy#importPolicy). */
final class AclModeOption {
    @Option(names = "--acl-mode", paramLabel = "MODE", defaultValue = "${env:TERN_ACL_MODE:-none}",
            description = "Who may write: none (anyone), follows (owners, admins and their kind-3 follows), "
                    + "managed (NIP-86 bans and allow lists; imports keep the bans too) (env TERN_ACL_MODE, default none).")
    AclMode mode;
}

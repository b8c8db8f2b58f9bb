package dev.tern.ingest;

import dev.tern.event.Event;

/**
 * Which well-formed, verified events an import refuses, counted as {@code policy} in its report: the
 * relay's access rules as they apply to an operator's import (see {@code AclPolicy#importPolicy}).
 */
@FunctionalInterface
public interface ImportPolicy {
    ImportPolicy ADMIT_ALL = e -> null;

    /** Why {@code e} is refused, with its NIP-01 prefix, or null when it is admitted. Runs on worker threads. */
    String refusal(Event e);
}

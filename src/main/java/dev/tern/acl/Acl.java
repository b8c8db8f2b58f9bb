package dev.tern.acl;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.EventParser;
import dev.tern.filter.Filter;
import dev.tern.ingest.ImportPolicy;
import dev.tern.store.StoreWriter;
import dev.tern.store.EventCursor;
import dev.tern.store.EventStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access control assembled from its settings: the write policy, the follow set (follows mode), the
 * NIP-86 state and handler (managed mode), the per-IP rate limiter and the admin API guard.
 */
public final class Acl {
    private static final Logger log = LoggerFactory.getLogger(Acl.class);
    private final FollowSet follows;
    private final ManagedState managed;
    private final Nip86Handler nip86;
    private final AclPolicy policy;
    private final IpRateLimiter rateLimiter;
    private final AdminGuard adminGuard;
    private final DmPrivacy privacy;
    private final ProofOfWork proofOfWork;

    /** @param meta the store's meta values (NIP-86 decisions persist there) */
    public Acl(AclSettings settings, MetaStore meta, Clock clock) {
        this.follows = settings.mode() == AclMode.FOLLOWS ? new FollowSet(settings.identities(), settings.followsMax()) : null;
        this.managed = settings.mode() == AclMode.MANAGED ? new ManagedState(meta, settings.maxEntries()) : null;
        this.nip86 = managed == null ? null : new Nip86Handler(managed);
        this.policy = new AclPolicy(settings.mode(), settings.identities(), follows, managed, settings.ipRules());
        this.rateLimiter = new IpRateLimiter(settings.connectionsPerMinute(), settings.eventsPerSecond(), settings.rateMaxIps(),
                () -> {
                    java.time.Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                });
        Nip98Validator nip98 = new Nip98Validator(settings.identities(), settings.nip98WindowSeconds(),
                settings.nip98ReplayMax(), () -> clock.millis() / 1000);
        this.adminGuard = new AdminGuard(settings.identities(), nip98);
        this.privacy = settings.privacy();
        this.proofOfWork = settings.proofOfWork();
    }

    /**
     * Access control for a relay on {@code store}: NIP-86 decisions persist in its meta values and a
     * banned event is removed by the writer; in follows mode the set is loaded from the owners' and
     * admins' stored kind-3s and then follows every commit. NIP-86 calls run as writer tasks
     * ({@link StoreWriter#offerTask}), whose {@link dev.tern.store.StoreMutations} they write through.
     */
    public static Acl attach(AclSettings settings, EventStore store, StoreWriter writer, Clock clock) {
        Acl acl = new Acl(settings, storedMeta(store), clock);
        if (acl.follows != null) {
            FollowSet follows = acl.follows;
            writer.addListener((event, outcome, sequence) -> {
                if (follows.isRelevant(event)) follows.accept(event);
            });
            follows.acceptAll(storedContactLists(store, settings.identities().all()));
            log.info("follows mode: {} pubkeys may write besides the owners and admins", follows.size());
        }
        if (acl.managed != null) acl.removeBannedEvents(writer);
        return acl;
    }

    /**
     * The import policy of {@code mode} for an import that opens {@code store} directly, the relay stopped
     * (`tern import`): in managed mode, the NIP-86 bans stored in it.
     */
    public static ImportPolicy importPolicy(AclMode mode, EventStore store) {
        if (mode != AclMode.MANAGED) return ImportPolicy.ADMIT_ALL;
        // read-only here: no list grows, so no entry limit applies
        return AclPolicy.importBans(new ManagedState(storedMeta(store), Integer.MAX_VALUE));
    }

    private static MetaStore storedMeta(EventStore store) {
        return key -> store.meta(key).orElse(null);
    }

    /** The newest stored kind-3 of each key (replaceable, so the store holds one per author). */
    private static List<Event> storedContactLists(EventStore store, Set<ByteKey> authors) {
        List<Event> lists = new ArrayList<>();
        if (authors.isEmpty()) return lists;
        Filter f = new Filter(null, authors, Set.of(FollowSet.CONTACTS_KIND), Map.of(), null, null, authors.size());
        try (EventCursor c = store.query(List.of(f))) {
            while (c.hasNext()) lists.add(EventParser.parseStored(c.next())); // verified when stored
        }
        return lists;
    }

    /** A crash between a ban and its removal leaves the event stored; finish the job at start. */
    private void removeBannedEvents(StoreWriter writer) {
        List<ByteKey> banned = List.copyOf(managed.bannedEvents().keySet());
        if (banned.isEmpty()) return;
        boolean queued = writer.offerTask(mutations -> {
            int removed = 0;
            for (ByteKey id : banned) if (mutations.remove(id.bytes())) removed++;
            if (removed > 0) log.info("removed {} banned events still stored", removed);
        });
        if (!queued) throw new IllegalStateException("the store writer refused the removal of banned events");
    }

    public AclPolicy policy() { return policy; }

    /** The NIP-86 decisions in managed mode, else null. */
    public ManagedState managed() { return managed; }

    /** The NIP-86 handler in managed mode, else null (the API is then not served). */
    public Nip86Handler nip86() { return nip86; }

    public IpRateLimiter rateLimiter() { return rateLimiter; }

    public AdminGuard adminGuard() { return adminGuard; }

    /** Who may read private messages (NIP-17/59/04). */
    public DmPrivacy privacy() { return privacy; }

    /** The least proof of work (NIP-13) of events from others than owners and admins. */
    public ProofOfWork proofOfWork() { return proofOfWork; }
}

package io.vnettracer.journey;

/**
 * What the joiner could not match, merge or keep, counted so that nothing is lost silently. Read it
 * from the summary ({@link Summary#counters()}) or live from {@link JourneyJoiner#counters()} (a live
 * object, written by the joiner's thread).
 */
public final class JoinCounters {
    long events;
    long unknownVersion;
    long unknownKind;
    long unknownProbe;
    long lateEvents;
    long duplicates;
    long hopsOverflow;
    long extraDropEvents;
    long links;
    long merges;
    long keysOverflow;
    long fingerprintConflicts;
    long journeys;
    long dropOnlyJourneys;
    long singletons;
    long evictedEarly;
    long shapesUntracked;
    long endsUntracked;
    long flowsEvictedIdle;
    long flowsFolded;

    /** Events accepted (known version, kind and probe). */
    public long events() { return events; }
    /** Events refused: layout version this code does not know. */
    public long unknownVersion() { return unknownVersion; }
    /** Events refused: a kind this code does not know. */
    public long unknownKind() { return unknownKind; }
    /** Events refused: a probe id not in the catalog. */
    public long unknownProbe() { return unknownProbe; }
    /** Events refused: older than the timeout behind the newest event seen; their journey may be closed. */
    public long lateEvents() { return lateEvents; }
    /** Second sightings of one identity at one probe (the earliest is kept). */
    public long duplicates() { return duplicates; }
    /** Sightings beyond {@link JoinerConfig#maxHops()} for one journey, ignored. */
    public long hopsOverflow() { return hopsOverflow; }
    /** DROP events after the first for one identity (the first reason is kept). */
    public long extraDropEvents() { return extraDropEvents; }
    /** Fingerprints linked to a tag by a tag-inserting or tag-stripping event. */
    public long links() { return links; }
    /** Links that joined two journeys begun separately (untagged and tagged sightings seen first). */
    public long merges() { return merges; }
    /** Identity keys a journey could not take (more than three: its own and two linked fingerprints). */
    public long keysOverflow() { return keysOverflow; }
    /** Links refused because the fingerprint already belonged to another tag's journey. */
    public long fingerprintConflicts() { return fingerprintConflicts; }
    /** Journeys finalized. */
    public long journeys() { return journeys; }
    /** Journeys seen only by drop probes. */
    public long dropOnlyJourneys() { return dropOnlyJourneys; }
    /** Journeys seen by exactly one probe. */
    public long singletons() { return singletons; }
    /** Journeys finalized before their timeout because {@link JoinerConfig#maxJourneys()} were open. */
    public long evictedEarly() { return evictedEarly; }
    /** Journeys whose shape was not kept (a flow showed more than 16 shapes); they are absent from shares only. */
    public long shapesUntracked() { return shapesUntracked; }
    /** Journeys whose end point was not kept (a flow showed more than 64); they are absent from drops only. */
    public long endsUntracked() { return endsUntracked; }
    /** Flows idle for {@link JoinerConfig#flowIdleNanos()}, finalized into their rows and their working state freed. */
    public long flowsEvictedIdle() { return flowsEvictedIdle; }
    /** Flows past {@link JoinerConfig#maxFlows()} added up in {@link Summary#otherFlows()}. */
    public long flowsFolded() { return flowsFolded; }

    /** These counters plus {@code other}'s: the counters of two joiners that saw disjoint events. */
    public JoinCounters plus(JoinCounters other) {
        JoinCounters c = copy();
        c.events += other.events; c.unknownVersion += other.unknownVersion; c.unknownKind += other.unknownKind;
        c.unknownProbe += other.unknownProbe; c.lateEvents += other.lateEvents; c.duplicates += other.duplicates;
        c.hopsOverflow += other.hopsOverflow; c.extraDropEvents += other.extraDropEvents; c.links += other.links;
        c.merges += other.merges; c.keysOverflow += other.keysOverflow; c.fingerprintConflicts += other.fingerprintConflicts;
        c.journeys += other.journeys; c.dropOnlyJourneys += other.dropOnlyJourneys; c.singletons += other.singletons;
        c.evictedEarly += other.evictedEarly; c.shapesUntracked += other.shapesUntracked; c.endsUntracked += other.endsUntracked;
        c.flowsEvictedIdle += other.flowsEvictedIdle; c.flowsFolded += other.flowsFolded;
        return c;
    }

    /** A detached copy. */
    public JoinCounters copy() {
        JoinCounters c = new JoinCounters();
        c.events = events; c.unknownVersion = unknownVersion; c.unknownKind = unknownKind;
        c.unknownProbe = unknownProbe; c.lateEvents = lateEvents; c.duplicates = duplicates;
        c.hopsOverflow = hopsOverflow; c.extraDropEvents = extraDropEvents; c.links = links; c.merges = merges;
        c.keysOverflow = keysOverflow; c.fingerprintConflicts = fingerprintConflicts; c.journeys = journeys;
        c.dropOnlyJourneys = dropOnlyJourneys; c.singletons = singletons; c.evictedEarly = evictedEarly;
        c.shapesUntracked = shapesUntracked; c.endsUntracked = endsUntracked;
        c.flowsEvictedIdle = flowsEvictedIdle; c.flowsFolded = flowsFolded;
        return c;
    }

    @Override
    public String toString() {
        return "events=" + events + " unknownVersion=" + unknownVersion + " unknownKind=" + unknownKind
                + " unknownProbe=" + unknownProbe + " late=" + lateEvents + " duplicates=" + duplicates
                + " hopsOverflow=" + hopsOverflow + " extraDrops=" + extraDropEvents + " links=" + links
                + " merges=" + merges + " keysOverflow=" + keysOverflow + " fingerprintConflicts=" + fingerprintConflicts
                + " journeys=" + journeys + " dropOnly=" + dropOnlyJourneys + " singletons=" + singletons
                + " evictedEarly=" + evictedEarly + " shapesUntracked=" + shapesUntracked + " endsUntracked=" + endsUntracked
                + " flowsEvictedIdle=" + flowsEvictedIdle + " flowsFolded=" + flowsFolded;
    }
}

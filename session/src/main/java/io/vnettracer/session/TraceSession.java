package io.vnettracer.session;

import io.vnettracer.bpf.btf.Btf;
import io.vnettracer.bpf.link.Link;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.ringbuf.RingBufferReader;
import io.vnettracer.event.KernelAggregates;
import io.vnettracer.probe.program.AggregateMaps;
import io.vnettracer.probe.program.KeyFilter;
import io.vnettracer.probe.script.Action;
import io.vnettracer.probe.program.ProbeMaps;
import io.vnettracer.probe.program.UdpPairingMaps;
import io.vnettracer.probe.program.ProbeProgram;
import io.vnettracer.probe.program.ProbeProgramBuilder;
import io.vnettracer.probe.program.ProbeScope;
import io.vnettracer.probe.program.TagRole;
import io.vnettracer.probe.spec.ProbeSpec;
import io.vnettracer.bpf.link.tc.TcLegacyLink;
import io.vnettracer.bpf.prog.AttachType;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;
import io.vnettracer.probe.identity.TcpTagOption;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.worker.WorkerFailure;
import io.vnettracer.worker.WorkerFailures;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A live session. {@link #start} attaches every probe of a script or none (a failure detaches what
 * was attached and says which probe failed and why); the add/remove/filter/sample methods change a
 * running session and return how long the change took, in microseconds. {@link #close} detaches
 * everything after draining the last events.
 */
public final class TraceSession implements AutoCloseable {
    private final TracingScript script;
    private final boolean legacyTc;
    private final FilterCompiler filters;
    private final ProbeMaps maps;
    /** Aggregate mode's maps and their reader; null when no probe of the script aggregates. */
    private final AggregateMaps aggregateMaps;
    private final AggregateReader aggregateReader;
    /** What the aggregation added up, read as the probes had stopped; null before close. */
    private volatile KernelAggregates aggregatesAtClose;
    private final ProbeProgramBuilder builder;
    private final RingBufferReader reader;
    private final SocketReadPairer pairer;
    private final EventPump pump;
    private final Map<String, AttachedProbe> probes = new LinkedHashMap<>();
    private final BackgroundDetacher detacher = new BackgroundDetacher();
    /** Device probes run from their hook's dispatcher: adding one is a map update, not an attach. */
    private final DeviceHooks hooks;
    private final WorkerFailures failures = new WorkerFailures();
    private volatile int nextProbeId;
    private Program tcpTagProgram;
    private Link tcpTagLink;
    private boolean closed;
    /** Set by the first attach through tc clsact. */
    private volatile TcLegacyLink.Sweep staleTcSweep;
    /** The lost-event counts read just before the maps were freed; null while they are open. */
    private volatile long[] lostAtClose;
    private volatile long[] readLagAtClose;
    /** The UDP pairing counters read just before the maps were freed. */
    private SocketPairing pairingAtClose;
    /** The rate each probe id samples at now (1: every packet; 1 also once removed); read by the drain thread. */
    private final java.util.concurrent.atomic.AtomicIntegerArray sampleEvery = new java.util.concurrent.atomic.AtomicIntegerArray(ProbeMaps.MAX_PROBES);

    private TraceSession(TracingScript script, FilterCompiler filters, EventConsumer consumer, SessionOptions options) {
        this.script = script;
        this.legacyTc = options.legacyTc();
        this.filters = filters;
        this.hooks = new DeviceHooks(() -> legacyTc || !TCX_AVAILABLE.get(), this::sweepStaleTcFiltersOnce, this::loadable);
        this.maps = new ProbeMaps(options.ringBytes());
        AggregateMaps aggregated = null;
        try {
            if (script.probes().stream().anyMatch(p -> p.actions().contains(Action.HISTOGRAM))) {
                aggregated = new AggregateMaps(options.aggregate().maxFlows(), options.aggregate().maxSightings(),
                        options.aggregate().timeoutNs());
            }
            this.builder = new ProbeProgramBuilder(Btf.kernel(), maps, aggregated);
            this.reader = new RingBufferReader(maps.ring());
        } catch (RuntimeException e) {
            if (aggregated != null) aggregated.close();
            maps.close();
            throw e;
        }
        this.aggregateMaps = aggregated;
        this.aggregateReader = aggregated == null ? null : new AggregateReader(aggregated);
        this.pairer = new SocketReadPairer(consumer);
        this.pump = new EventPump(reader, pairer, options.pollMillis(), failures);
    }

    /** Attaches every probe of {@code script} and starts draining events into {@code consumer}. */
    public static TraceSession start(TracingScript script, FilterCompiler filters, EventConsumer consumer,
                                     SessionOptions options) {
        requireProbeCountWithinLimit(script);
        TraceSession session = new TraceSession(script, filters, consumer, options);
        try {
            for (ProbeDefinition p : script.probes()) {
                session.attach(p);
            }
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        try {
            session.startTcpTagging();
        } catch (RuntimeException e) {
            session.close();
            throw new SessionException("tagging TCP: " + e.getMessage(), e);
        }
        session.pump.start();
        return session;
    }

    /**
     * Checks what can be checked of {@code script} without loading anything: every filter compiles,
     * every namespace and interface a probe names exists. Throws a {@link SessionException} naming
     * the probe, with the message {@link #start} would give.
     */
    public static void validate(TracingScript script, FilterCompiler filters) {
        requireProbeCountWithinLimit(script);
        for (ProbeDefinition def : script.probes()) {
            compile(filters, def, script.filterOf(def));
            try {
                ProbeAttacher.resolve(def.spec());
            } catch (RuntimeException e) {
                throw new SessionException("probe '" + def.name() + "' (" + def.spec().text() + "): " + e.getMessage(), e);
            }
        }
    }

    /**
     * Refuses a script with more probes than a session's maps have room for ({@link ProbeMaps#MAX_PROBES}),
     * before anything is loaded.
     */
    public static void requireProbeCountWithinLimit(TracingScript script) {
        int n = script.probes().size();
        if (n > ProbeMaps.MAX_PROBES) {
            throw new SessionException("the script has " + n + " probes; a trace attaches at most " + ProbeMaps.MAX_PROBES
                    + " (probe '" + script.probes().get(ProbeMaps.MAX_PROBES).name() + "' is the first past the limit)");
        }
    }

    /**
     * In tag mode, TCP packets get their tag as a header option written by a sock_ops program on the
     * root cgroup, limited to the namespace of the sender's tagging probe; device probes read it.
     */
    private void startTcpTagging() {
        ProbeDefinition writer = script.probes().stream()
                .filter(p -> TagRole.of(p, script.probes(), script.identity()) == TagRole.WRITE)
                .findFirst().orElse(null);
        if (writer == null) {
            return;
        }
        long cookie = ProbeAttacher.cookieOf(writer.spec().namespace());
        TcpTagOption option = new TcpTagOption(maps.tagCounters(), TcpTagOption.DEFAULT_EXID, cookie);
        tcpTagProgram = Program.load(ProgramSpec.of("vnt_tcp_tag", ProgramType.SOCK_OPS, option.program())
                .withAttach(AttachType.CGROUP_SOCK_OPS));
        tcpTagLink = Link.cgroup(tcpTagProgram, ProbeAttacher.rootCgroup(), AttachType.CGROUP_SOCK_OPS);
    }

    private void attach(ProbeDefinition def) {
        attach(def, id -> { });
    }

    private void attach(ProbeDefinition def, java.util.function.IntConsumer beforeAttach) {
        if (probes.containsKey(def.name())) {
            throw new SessionException("a probe named '" + def.name() + "' is already attached");
        }
        if (nextProbeId >= ProbeMaps.MAX_PROBES) {
            throw new SessionException("a session holds at most " + ProbeMaps.MAX_PROBES + " probes over its life");
        }
        long start = System.nanoTime();
        int id = nextProbeId++;
        String filter = script.filterOf(def);
        List<Program> programs = new ArrayList<>();
        List<Link> links = new ArrayList<>();
        HookSlot slot = null;
        try {
            ProbeScope scope = ProbeAttacher.resolve(def.spec());
            TagRole tagRole = TagRole.of(def, script.probes(), script.identity());
            if (def.spec() instanceof ProbeSpec.Device d) {
                // The hook's first probe attaches its dispatcher (and waits for the kernel); later ones do not.
                slot = hooks.reserve(d, scope);
            }
            if (def.actions().contains(Action.HISTOGRAM) && aggregateMaps == null) {
                throw new SessionException("probe '" + def.name() + "' aggregates (action histogram) but the trace records:"
                        + " a trace is in one mode; start it with every probe aggregating (--mode aggregate)");
            }
            List<ProbeProgram> parts = builder.build(id, def, compile(def, filter), scope, tagRole,
                    slot == null ? null : slot.chain(), terminal(def));
            for (ProbeProgram pp : parts) {
                programs.add(Program.load(loadable(pp)));
            }
            maps.configure(id, true, def.sampleEvery());
            sampleEvery.set(id, def.sampleEvery());
            beforeAttach.accept(id);
            if (slot != null) {
                slot.install(programs.get(0));
            } else {
                for (int i = 0; i < parts.size(); i++) {
                    links.add(ProbeAttacher.attach(def.spec(), parts.get(i), programs.get(i)));
                }
            }
            AttachedProbe attached = new AttachedProbe(id, def, filter, scope, tagRole, List.copyOf(programs),
                    List.copyOf(links), System.nanoTime() - start);
            attached.slot = slot;
            probes.put(def.name(), attached);
        } catch (RuntimeException e) {
            if (slot != null) {
                slot.clear();
            }
            links.forEach(Link::close);
            programs.forEach(Program::close);
            throw new SessionException("probe '" + def.name() + "' (" + def.spec().text() + "): " + e.getMessage(), e);
        }
    }

    private KeyFilter compile(ProbeDefinition def, String filter) {
        return compile(filters, def, filter);
    }

    private static KeyFilter compile(FilterCompiler filters, ProbeDefinition def, String filter) {
        try {
            return filters.compile(filter);
        } catch (RuntimeException e) {
            throw new SessionException("filter of probe '" + def.name() + "': " + e.getMessage(), e);
        }
    }

    /** Adds a probe to the running session. Returns the time it took, in microseconds. */
    public synchronized long addProbe(ProbeDefinition def) {
        return addProbe(def, id -> { });
    }

    /**
     * Adds a probe, first telling {@code beforeAttach} the id its events will carry, so a consumer
     * can know the probe before its first event arrives. Returns the time it took, in microseconds.
     */
    public synchronized long addProbe(ProbeDefinition def, java.util.function.IntConsumer beforeAttach) {
        checkOpen();
        long start = System.nanoTime();
        attach(def, beforeAttach);
        return micros(start);
    }

    /** The id the next probe attached will get: probes are numbered from 0 in the order they are attached. */
    public int nextProbeId() {
        return nextProbeId;
    }

    /**
     * Removes a probe; the others go on untouched. It records nothing from the moment this returns
     * (its switch in the config map is off; a device probe is out of its hook's chain too, one map
     * update); a program on a link of its own is unhooked on a background thread (see
     * {@link BackgroundDetacher}), and every program is closed there, all by the time the session
     * closes. Returns the time until the probe stopped recording, in microseconds.
     */
    public synchronized long removeProbe(String name) {
        checkOpen();
        long start = System.nanoTime();
        AttachedProbe p = probe(name);
        probes.remove(name);
        maps.configure(p.id, false, 1);
        sampleEvery.set(p.id, 1);
        if (p.slot != null) {
            p.slot.clear();
        }
        long took = micros(start);
        detacher.detach(p);
        return took;
    }

    /**
     * Gives a probe a new filter: a new program swapped in through the probe's slot or link, so the
     * hook is never without a program. Returns the time it took, in microseconds.
     */
    public synchronized long setFilter(String name, String expression) {
        checkOpen();
        long start = System.nanoTime();
        AttachedProbe p = probe(name);
        ProbeDefinition def = p.definition.withFilter(expression);
        List<ProbeProgram> parts = builder.build(p.id, def, compile(def, expression), p.scope, p.tagRole,
                p.slot == null ? null : p.slot.chain());
        if (p.slot != null) {
            return swapInSlot(p, def, expression, parts.get(0), start);
        }
        List<Program> next = new ArrayList<>();
        List<Link> links = new ArrayList<>(p.links);
        List<Link> replaced = new ArrayList<>();
        List<Link> created = new ArrayList<>();
        try {
            for (ProbeProgram pp : parts) {
                next.add(Program.load(pp.spec()));
            }
            for (int i = 0; i < next.size(); i++) {
                if (parts.get(i).hook() == ProbeProgram.Hook.TRACEPOINT) {
                    // Tracepoint links cannot swap programs (BPF_LINK_UPDATE: EINVAL): attach the new
                    // one first, then detach the old, so the tracepoint is never unwatched; an event
                    // both see in that instant is a duplicate the joiner counts once.
                    Link fresh = ProbeAttacher.attach(def.spec(), parts.get(i), next.get(i));
                    created.add(fresh);
                    replaced.add(links.set(i, fresh));
                } else {
                    links.get(i).update(next.get(i));
                }
            }
        } catch (RuntimeException e) {
            // A part already swapped in place keeps running its new program; the old ones stay loaded until close.
            created.forEach(Link::close);
            next.forEach(Program::close);
            throw new SessionException("probe '" + name + "': swapping in the new filter failed: " + e.getMessage(), e);
        }
        p.links = List.copyOf(links);
        replaced.forEach(Link::close);
        List<Program> old = p.programs;
        p.programs = List.copyOf(next);
        p.definition = def;
        p.filter = expression;
        old.forEach(Program::close);
        return micros(start);
    }

    /** A device probe's new program replaces the old one in its slot: one map update. */
    private long swapInSlot(AttachedProbe p, ProbeDefinition def, String expression, ProbeProgram part, long start) {
        Program next = Program.load(loadable(part));
        try {
            p.slot.install(next);
        } catch (RuntimeException e) {
            next.close();
            throw new SessionException("probe '" + def.name() + "': swapping in the new filter failed: " + e.getMessage(), e);
        }
        List<Program> oldPrograms = p.programs;
        p.programs = List.of(next);
        p.definition = def;
        p.filter = expression;
        oldPrograms.forEach(Program::close);
        return micros(start);
    }

    /**
     * Unlike links, tc filters outlive a killed tracer: before this session's first one, those of
     * dead tracers are removed from every interface of every namespace it can name, not only from the
     * interfaces it attaches to (a filter left where no later trace goes would stay forever).
     */
    private void sweepStaleTcFiltersOnce() {
        if (staleTcSweep == null) {
            staleTcSweep = TcLegacyLink.sweepStale();
        }
    }

    /** What the sweep of dead tracers' tc filters removed and skipped; empty if no probe went through tc clsact. */
    public Optional<TcLegacyLink.Sweep> staleTcSweep() {
        return Optional.ofNullable(staleTcSweep);
    }

    /** Device probes go through tc clsact where the kernel has no TCX, or when told to. */
    private boolean useLegacyTc(ProbeProgram part) {
        ProbeProgram.Hook hook = part.hook();
        boolean device = hook == ProbeProgram.Hook.TCX_INGRESS || hook == ProbeProgram.Hook.TCX_EGRESS;
        return device && (legacyTc || !TCX_AVAILABLE.get());
    }

    /** The spec as it is loaded: a tc filter's program carries no TCX attach type. */
    private ProgramSpec loadable(ProbeProgram pp) {
        ProgramSpec spec = pp.spec();
        if (useLegacyTc(pp)) {
            return new ProgramSpec(spec.name(), spec.type(), spec.instructions(), spec.license(), null, 0);
        }
        return spec;
    }

    /** Whether this kernel has TCX, probed once per process. */
    private static final java.util.function.Supplier<Boolean> TCX_AVAILABLE = new java.util.function.Supplier<>() {
        private volatile Boolean known;

        @Override
        public Boolean get() {
            Boolean k = known;
            if (k == null) {
                k = new io.vnettracer.bpf.features.Features().probe(io.vnettracer.bpf.features.Features.TCX).supported();
                known = k;
            }
            return k;
        }
    };

    /** Records one packet in {@code every} at a probe: a map update, no reload. Returns microseconds taken. */
    public synchronized long setSample(String name, int every) {
        checkOpen();
        if (every < 1) {
            throw new SessionException("sample 1/" + every + " is not a rate; use N >= 1");
        }
        long start = System.nanoTime();
        AttachedProbe p = probe(name);
        maps.configure(p.id, true, every);
        sampleEvery.set(p.id, every);
        p.definition = p.definition.withSampleEvery(every);
        return micros(start);
    }

    private AttachedProbe probe(String name) {
        AttachedProbe p = probes.get(name);
        if (p == null) {
            throw new SessionException("no probe named '" + name + "'; probes are " + probes.keySet());
        }
        return p;
    }

    /** The probes now attached, with their counts. */
    public synchronized List<ProbeStatus> status() {
        List<ProbeStatus> out = new ArrayList<>();
        for (AttachedProbe p : probes.values()) {
            long[] counted = maps.counted(p.id);
            out.add(new ProbeStatus(p.id, p.definition.name(), p.definition.spec().text(), p.filter,
                    p.definition.sampleEvery(), true, pump.events(p.id), maps.lostEvents(p.id),
                    counted[0], counted[1], p.attachNanos / 1000));
        }
        return out;
    }

    /**
     * Events lost by probe id, including probes since removed; still answers after {@link #close}.
     * Not synchronized: the drain thread asks while {@link #close} waits for it.
     */
    public long lostEvents(int probeId) {
        long[] atClose = lostAtClose;
        if (atClose != null) {
            return probeId < atClose.length ? atClose[probeId] : 0;
        }
        return maps.lostEvents(probeId);
    }

    /**
     * The longest a datagram waited in its socket's queue before a UDP read of probe {@code
     * probeId} took it, in ns (0 for other probes): a record lost at a read belongs to a datagram
     * that arrived up to this long before. Not synchronized, like {@link #lostEvents}.
     */
    public long udpReadLag(int probeId) {
        long[] atClose = readLagAtClose;
        if (atClose != null) {
            return probeId < atClose.length ? atClose[probeId] : 0;
        }
        return probeId >= 0 && probeId < ProbeMaps.MAX_PROBES ? maps.udpPairing().maxReadLag(probeId) : 0;
    }

    /**
     * The rate probe {@code probeId} samples at now: it records 1 packet in this many (1: all, and
     * for ids never attached). Not synchronized: the drain thread asks after every pass.
     */
    public int sampleEvery(int probeId) {
        int every = probeId >= 0 && probeId < ProbeMaps.MAX_PROBES ? sampleEvery.get(probeId) : 1;
        return Math.max(1, every);
    }

    /**
     * Tells {@code owner} (once, on the drain thread) when the drain thread fails, e.g. its consumer
     * threw; now if it already has. The session keeps its probes attached until {@link #close}.
     */
    public void reportFailuresTo(Consumer<WorkerFailure> owner) {
        failures.forwardTo(owner);
    }

    /** Events drained after the drain thread failed, so never handed to the consumer. */
    public long eventsNotHandedOver() {
        return pump.notHandedOver();
    }

    /** Events the drain thread could not decode (wrong length, version or kind). */
    public long undecodableEvents() {
        return pump.undecodable();
    }

    /**
     * How UDP reads were paired with the datagrams they took, in the kernel, over all socket receive
     * probes: reads paired, reads with nothing queued, datagrams never read (exact once the session
     * is closed), reads of datagrams the filter rejected, reads of datagrams whose sighting was not
     * kept (nothing written: a shortfall, counted in {@link #lostEvents}), datagrams the socket
     * refused (taken back), refusals of datagrams not queued on that CPU, and arrivals not kept
     * (the bounded queue full).
     */
    public synchronized SocketPairing socketPairing() {
        return closed ? pairingAtClose : readPairing(-1);
    }

    private SocketPairing readPairing(long unread) {
        Map<UdpPairingMaps.Counter, Long> sum = new EnumMap<>(UdpPairingMaps.Counter.class);
        for (int id = 0; id < nextProbeId; id++) {
            maps.udpPairing().counts(id).forEach((c, n) -> sum.merge(c, n, Long::sum));
        }
        return new SocketPairing(sum.getOrDefault(UdpPairingMaps.Counter.PAIRED, 0L),
                sum.getOrDefault(UdpPairingMaps.Counter.UNPAIRED_READS, 0L), unread,
                sum.getOrDefault(UdpPairingMaps.Counter.FILTERED_OUT, 0L),
                sum.getOrDefault(UdpPairingMaps.Counter.MISSING, 0L),
                sum.getOrDefault(UdpPairingMaps.Counter.REFUSED, 0L),
                sum.getOrDefault(UdpPairingMaps.Counter.UNMATCHED_REFUSALS, 0L),
                sum.getOrDefault(UdpPairingMaps.Counter.NOT_STORED, 0L));
    }

    /** See {@link #socketPairing()}; {@code unread} is -1 while the session runs. */
    public record SocketPairing(long paired, long unpairedReads, long unread, long filteredOut, long missing,
                                long refused, long unmatchedRefusals, long notStored) {}

    /**
     * How TCP segments were delivered to readers by sequence range: segments delivered, reads on
     * sockets with no traced arrival, arrivals of data the socket already had (not queued),
     * segments arrived and never delivered (exact once the session is closed; -1 while it runs),
     * segments given up because a socket held too many or was forgotten, retransmissions marked at
     * senders, and sockets forgotten after a minute without traffic.
     */
    public TcpPairing tcpPairing() {
        TcpStreamPairer tcp = pairer.tcp();
        return new TcpPairing(tcp.deliveredSegments(), tcp.readsWithoutArrivals(), tcp.duplicateArrivals(),
                closed ? tcp.undelivered() : -1, tcp.overflowed(), pairer.retransmits().retransmissions(),
                tcp.forgottenSockets());
    }

    /** See {@link #tcpPairing()}. */
    public record TcpPairing(long delivered, long readsWithoutArrivals, long duplicateArrivals, long undelivered,
                             long overflowed, long retransmissions, long forgottenSockets) {}

    /** The listing of a probe's current program, for --dump-programs and verifier errors. */
    public synchronized String listing(String name) {
        StringBuilder sb = new StringBuilder();
        for (Program program : probe(name).programs) {
            sb.append("; ").append(program).append('\n').append(program.listing());
        }
        return sb.toString();
    }

    /**
     * The dispatcher of each device hook (see {@link DeviceHooks}) as readable assembly, for
     * --dump-programs; empty without device probes.
     */
    public synchronized String dispatcherListings() {
        return hooks.listings();
    }

    /** The session's maps (sizes histograms, counters), for sinks that read them. */
    public ProbeMaps maps() {
        return maps;
    }

    /** Stops draining after the last events, detaches every probe, frees every map. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (tcpTagLink != null) {
            tcpTagLink.close();
        }
        if (tcpTagProgram != null) {
            tcpTagProgram.close();
        }
        probes.values().forEach(AttachedProbe::detach);
        detacher.close();
        if (pump != null) {
            pump.stopAndDrain();
        }
        probes.values().forEach(AttachedProbe::close);
        probes.clear();
        hooks.close();
        long[] lost = new long[nextProbeId];
        for (int id = 0; id < lost.length; id++) {
            lost[id] = maps.lostEvents(id);
        }
        long[] lag = new long[nextProbeId];
        for (int id = 0; id < lag.length; id++) {
            lag[id] = maps.udpPairing().maxReadLag(id);
        }
        readLagAtClose = lag;
        lostAtClose = lost;
        long unread = 0;
        for (int id = 0; id < nextProbeId; id++) {
            unread += maps.udpPairing().unread(id);
        }
        pairingAtClose = readPairing(unread);
        if (reader != null) {
            reader.close();
        }
        if (aggregateMaps != null) {
            try {
                aggregatesAtClose = aggregateReader.read(System.nanoTime(), true);
            } finally {
                aggregateMaps.close();
            }
        }
        maps.close();
    }

    /**
     * Whether a packet's journey in this kernel ends at {@code def} in aggregate mode: at a socket
     * receive probe, or, in a script without one, at the last path probe listed (docs/JOURNEYS.md,
     * "Aggregate mode").
     */
    private boolean terminal(ProbeDefinition def) {
        if (def.spec() instanceof ProbeSpec.Socket s) return s.point() == ProbeSpec.SocketPoint.RECV;
        boolean anyReceiver = script.probes().stream()
                .anyMatch(p -> p.spec() instanceof ProbeSpec.Socket s && s.point() == ProbeSpec.SocketPoint.RECV);
        if (anyReceiver) return false;
        ProbeDefinition lastOnPath = null;
        for (ProbeDefinition p : script.probes()) {
            if (!(p.spec() instanceof ProbeSpec.Drops)) lastOnPath = p;
        }
        return lastOnPath != null && lastOnPath.name().equals(def.name());
    }

    /** True when the probes aggregate in the kernel (aggregate mode). */
    public boolean aggregates() {
        return aggregateMaps != null;
    }

    /**
     * What the probes added up so far, journeys quiet for the timeout ended (aggregate mode; call from
     * one thread, the drain thread's consumer). After {@link #close}: the figures as the probes stopped.
     */
    public KernelAggregates aggregates(long nowNs) {
        KernelAggregates atClose = aggregatesAtClose;
        if (atClose != null) return atClose;
        if (aggregateReader == null) throw new IllegalStateException("the session does not aggregate");
        return aggregateReader.read(nowNs, false);
    }

    /** How long the last {@link #aggregates}'s scan of the sightings table took (0: it reused the last one), ns. */
    public long aggregateScanNanos() {
        return aggregateReader == null ? 0 : aggregateReader.lastScanNanos();
    }

    /** Flows given an index so far (aggregate mode): cheap, to notice a new flow between summaries. */
    public int aggregatedFlows() {
        return aggregatesAtClose != null || aggregateMaps == null ? 0 : aggregateMaps.flowsInUse();
    }

    private void checkOpen() {
        if (closed) {
            throw new SessionException("the session is closed");
        }
    }

    private static long micros(long startNanos) {
        return (System.nanoTime() - startNanos) / 1000;
    }
}

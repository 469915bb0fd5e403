package io.vnettracer.bench;

import static io.vnettracer.bpf.asm.Reg.R0;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Instructions;
import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.map.MapSpec;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;
import io.vnettracer.bpf.prog.TcxVerdict;
import io.vnettracer.bpf.ringbuf.RecordHandler;
import io.vnettracer.bpf.ringbuf.RingBufferFlags;
import io.vnettracer.bpf.ringbuf.RingBufferReader;
import io.vnettracer.bpf.testing.RingBufferPrograms;
import io.vnettracer.bpf.testing.TestPrograms;
import io.vnettracer.bpf.btf.Btf;
import io.vnettracer.bpf.map.ProgramArray;
import io.vnettracer.probe.program.AggregateMaps;
import io.vnettracer.probe.program.HookChain;
import io.vnettracer.probe.program.HookDispatcher;
import io.vnettracer.probe.program.KeyFilter;
import io.vnettracer.probe.program.ProbeMaps;
import io.vnettracer.probe.program.ProbeProgram;
import io.vnettracer.probe.program.ProbeProgramBuilder;
import io.vnettracer.probe.program.ProbeScope;
import io.vnettracer.probe.program.TagRole;
import io.vnettracer.probe.script.Action;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.spec.ProbeSpec;
import io.vnettracer.probe.spec.ProbeSpecParser;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.Set;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the eBPF runtime costs: per-packet cost of minimal tc programs measured in the kernel with
 * BPF_PROG_TEST_RUN, and how many ring-buffer records per second the Java consumer drains on one
 * thread. Usage: {@code scripts/bench runtime [--rounds N]}.
 */
public final class RuntimeBench {
    private static final int PACKET_BYTES = 64;
    private static final int RUNS_PER_ROUND = 1_000_000;
    private static final int DRAIN_RECORDS = 2_000_000;
    private static final int RECORD_FOOTPRINT = 24;

    private RuntimeBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = 9;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds") && i + 1 < args.length) {
                rounds = Integer.parseInt(args[++i]);
            }
        }
        List<Samples> all = new ArrayList<>();
        all.addAll(programCost(rounds));
        all.add(drainRate(rounds));
        all.addAll(concurrent(rounds));

        System.out.println();
        System.out.println(Samples.header());
        all.forEach(s -> System.out.println(s.row()));
        writeResult(all, rounds);
    }

    /** The kernel's own ns per run of each program, rounds alternating between them. */
    private static List<Samples> programCost(int rounds) {
        System.out.printf("program cost: BPF_PROG_TEST_RUN, %d-byte packet, %,d runs per round, %d rounds, programs alternating%n",
                PACKET_BYTES, RUNS_PER_ROUND, rounds);
        Samples empty = new Samples("tc program: empty (return TCX_NEXT)", "ns/packet", rounds);
        Samples count = new Samples("tc program: parse + count (array map, atomic)", "ns/packet", rounds);
        Samples record = new Samples("tc program: ring-buffer record (16 B, no wakeup)", "ns/packet", rounds);
        Samples probeCount = new Samples("tc probe: key + filter + count", "ns/packet", rounds);
        Samples probeRecord = new Samples("tc probe: key + filter + count + record (104 B)", "ns/packet", rounds);
        Samples probeLongFilter = new Samples("tc probe: key + 12-term filter + count", "ns/packet", rounds);
        Samples probeTag = new Samples("tc probe: + tag UDP (trailer), single runs", "ns/packet", rounds);
        Samples probeStrip = new Samples("tc probe: + strip tag, single runs", "ns/packet", rounds);
        Samples probeSingle = new Samples("tc probe: key + filter + count, single runs", "ns/packet", rounds);
        Samples dispatcherEmpty = new Samples("tc dispatcher: " + HookDispatcher.SLOTS + " empty slots", "ns/packet", rounds);
        Samples probeDispatched = new Samples("tc dispatcher + probe: key + filter + count", "ns/packet", rounds);
        Samples chainCount = new Samples("tc dispatcher + 3 probes: key + filter + count", "ns/packet", rounds);
        Samples chainAggregate = new Samples("tc dispatcher + 3 probes: key + filter + aggregate (a journey)", "ns/packet", rounds);
        Samples aggFirst = new Samples("tc probe: key + filter + aggregate, first sighting, single runs", "ns/packet", rounds);
        Samples aggMiddle = new Samples("tc probe: key + filter + aggregate, later sighting, single runs", "ns/packet", rounds);
        Samples aggLast = new Samples("tc probe: key + filter + aggregate, terminal sighting, single runs", "ns/packet", rounds);
        try (BpfMap counter = BpfMap.create(MapSpec.array("b_count", 8, 1));
             BpfMap ring = BpfMap.create(MapSpec.ringBuffer("b_ring", 1 << 25));
             BpfMap seq = BpfMap.create(MapSpec.array("b_seq", 8, 2));
             Program emptyProg = Program.load(ProgramSpec.of("b_empty", ProgramType.SCHED_CLS,
                     new Assembler().mov64(R0, TcxVerdict.NEXT).exit().assemble()));
             Program countProg = Program.load(ProgramSpec.of("b_count", ProgramType.SCHED_CLS,
                     TestPrograms.countUdpToPort(counter, 4000)));
             Program recordProg = Program.load(ProgramSpec.of("b_record", ProgramType.SCHED_CLS,
                     RingBufferPrograms.numberedRecords(ring, seq, RingBufferFlags.NO_WAKEUP)));
             RingBufferReader reader = new RingBufferReader(ring);
             ProbeMaps probeMaps = new ProbeMaps(1 << 26);
             RingBufferReader probeEvents = new RingBufferReader(probeMaps.ring());
             Program countingProbe = deviceProbe(probeMaps, 0, EnumSet.of(Action.COUNT));
             Program recordingProbe = deviceProbe(probeMaps, 1, EnumSet.of(Action.COUNT, Action.RECORD));
             Program longFilterProbe = deviceProbe(probeMaps, 2, EnumSet.of(Action.COUNT), LONG_FILTER, TagRole.NONE);
             Program taggingProbe = deviceProbe(probeMaps, 3, EnumSet.of(Action.COUNT), SHORT_FILTER, TagRole.WRITE);
             Program strippingProbe = deviceProbe(probeMaps, 4, EnumSet.of(Action.COUNT), SHORT_FILTER, TagRole.STRIP);
             ProgramArray hook = ProgramArray.create("b_hook", HookDispatcher.SLOTS);
             Program dispatcher = Program.load(HookDispatcher.build(ProbeSpec.Direction.INGRESS,
                     HookChain.dispatcher(hook.map().fd().get(), HookDispatcher.SLOTS)).spec());
             Program chainedProbe = deviceProbe(probeMaps, 5, EnumSet.of(Action.COUNT), SHORT_FILTER, TagRole.NONE,
                     new HookChain(hook.map().fd().get(), 0, HookDispatcher.SLOTS));
             AggregateMaps aggregateMaps = new AggregateMaps(4096, 1 << 16, 2_000_000_000L);
             Program aggregatingFirst = aggregatingProbe(probeMaps, aggregateMaps, 6, false);
             Program aggregatingMiddle = aggregatingProbe(probeMaps, aggregateMaps, 7, false);
             Program aggregatingLast = aggregatingProbe(probeMaps, aggregateMaps, 8, true);
             // A packet's whole journey in one PROG_TEST_RUN repetition: three probes on one hook's chain.
             ProgramArray countHook = ProgramArray.create("b_hook_c", HookDispatcher.SLOTS);
             ProgramArray aggregateHook = ProgramArray.create("b_hook_a", HookDispatcher.SLOTS);
             Program countDispatcher = Program.load(HookDispatcher.build(ProbeSpec.Direction.INGRESS,
                     HookChain.dispatcher(countHook.map().fd().get(), HookDispatcher.SLOTS)).spec());
             Program aggregateDispatcher = Program.load(HookDispatcher.build(ProbeSpec.Direction.INGRESS,
                     HookChain.dispatcher(aggregateHook.map().fd().get(), HookDispatcher.SLOTS)).spec());
             Program count0 = deviceProbe(probeMaps, 9, EnumSet.of(Action.COUNT), SHORT_FILTER, TagRole.NONE,
                     new HookChain(countHook.map().fd().get(), 0, HookDispatcher.SLOTS));
             Program count1 = deviceProbe(probeMaps, 10, EnumSet.of(Action.COUNT), SHORT_FILTER, TagRole.NONE,
                     new HookChain(countHook.map().fd().get(), 1, HookDispatcher.SLOTS));
             Program count2 = deviceProbe(probeMaps, 11, EnumSet.of(Action.COUNT), SHORT_FILTER, TagRole.NONE,
                     new HookChain(countHook.map().fd().get(), 2, HookDispatcher.SLOTS));
             Program chained0 = aggregatingProbe(probeMaps, aggregateMaps, 12, false,
                     new HookChain(aggregateHook.map().fd().get(), 0, HookDispatcher.SLOTS));
             Program chained1 = aggregatingProbe(probeMaps, aggregateMaps, 13, false,
                     new HookChain(aggregateHook.map().fd().get(), 1, HookDispatcher.SLOTS));
             Program chained2 = aggregatingProbe(probeMaps, aggregateMaps, 14, true,
                     new HookChain(aggregateHook.map().fd().get(), 2, HookDispatcher.SLOTS))) {
            countHook.set(0, count0);
            countHook.set(1, count1);
            countHook.set(2, count2);
            aggregateHook.set(0, chained0);
            aggregateHook.set(1, chained1);
            aggregateHook.set(2, chained2);
            byte[] packet = udpPacket(4000);
            byte[] tagged = taggingProbe.testRun(packet, 1).dataOut();
            if (tagged.length != packet.length + 8) {
                throw new IllegalStateException("the tag writer did not tag the test packet: the figures would be wrong");
            }
            RecordHandler discard = (b, o, l) -> { };
            for (int round = -1; round < rounds; round++) { // round -1 warms up
                hook.clear(0);
                long de = dispatcher.testRun(packet, RUNS_PER_ROUND).nanosPerRun();
                hook.set(0, chainedProbe);
                long dp = dispatcher.testRun(packet, RUNS_PER_ROUND).nanosPerRun();
                long e = emptyProg.testRun(packet, RUNS_PER_ROUND).nanosPerRun();
                long c = countProg.testRun(packet, RUNS_PER_ROUND).nanosPerRun();
                long r = recordProg.testRun(packet, RUNS_PER_ROUND).nanosPerRun();
                long pc = countingProbe.testRun(packet, RUNS_PER_ROUND).nanosPerRun();
                long pr = recordingProbe.testRun(packet, RUNS_PER_ROUND / 2).nanosPerRun();
                long pl = longFilterProbe.testRun(packet, RUNS_PER_ROUND).nanosPerRun();
                // PROG_TEST_RUN repeats a program on one packet, which a tag changes: after the first run
                // the writer would only see a tagged packet and skip it. So each of these runs gets a
                // fresh packet (repeat 1), and the kernel's duration of the single runs is the figure.
                long pt = singleRunMedian(taggingProbe, packet, SINGLE_RUNS);
                long ps = singleRunMedian(strippingProbe, tagged, SINGLE_RUNS);
                long p1 = singleRunMedian(countingProbe, packet, SINGLE_RUNS);
                long cc = countDispatcher.testRun(packet, RUNS_PER_ROUND).nanosPerRun();
                long ca = aggregateDispatcher.testRun(packet, RUNS_PER_ROUND).nanosPerRun();
                // One packet's journey through three aggregating probes, again and again: the first
                // sighting makes its entry, the next adds a hop, the terminal one the end-to-end delay.
                long[][] journey = new long[3][SINGLE_RUNS];
                Program[] steps = {aggregatingFirst, aggregatingMiddle, aggregatingLast};
                for (int i = 0; i < SINGLE_RUNS; i++) {
                    for (int step = 0; step < 3; step++) journey[step][i] = steps[step].testRun(packet, 1).nanosPerRun();
                }
                for (long[] d : journey) java.util.Arrays.sort(d);
                while (reader.drain(discard) > 0 || probeEvents.drain(discard) > 0) {
                    // empty the rings so the next round never finds them full
                }
                if (round >= 0) {
                    empty.add(e);
                    count.add(c);
                    record.add(r);
                    probeCount.add(pc);
                    probeRecord.add(pr);
                    probeLongFilter.add(pl);
                    probeTag.add(pt);
                    probeStrip.add(ps);
                    probeSingle.add(p1);
                    dispatcherEmpty.add(de);
                    probeDispatched.add(dp);
                    chainCount.add(cc);
                    chainAggregate.add(ca);
                    aggFirst.add(journey[0][SINGLE_RUNS / 2]);
                    aggMiddle.add(journey[1][SINGLE_RUNS / 2]);
                    aggLast.add(journey[2][SINGLE_RUNS / 2]);
                }
            }
            long lost = seq.sumLong(RingBufferPrograms.LOST) + probeMaps.lostEvents(1);
            if (lost > 0) {
                System.out.println("  note: the record programs found their rings full " + lost + " times");
            }
            long skipped = probeMaps.tagCounts().values().stream().mapToLong(Long::longValue).sum();
            if (skipped > 0) {
                throw new IllegalStateException("the tag programs skipped " + skipped + " packets: " + probeMaps.tagCounts());
            }
            long notFollowed = aggregateMaps.counter(AggregateMaps.Counter.DUPLICATES)
                    + aggregateMaps.counter(AggregateMaps.Counter.SIGHTINGS_DISPLACED);
            if (notFollowed > 0) {
                throw new IllegalStateException("the aggregating probes did not follow the packet (" + notFollowed
                        + " duplicate or unkept sightings): the figures would be wrong");
            }
            if (probeMaps.counted(0)[0] == 0 || probeMaps.counted(2)[0] == 0 || probeMaps.counted(4)[0] == 0
                    || probeMaps.counted(5)[0] == 0) {
                throw new IllegalStateException("the probe's filter did not match the test packet: the figure would be wrong");
            }
        }
        return List.of(empty, count, record, probeCount, probeRecord, probeLongFilter, probeSingle, probeTag, probeStrip,
                dispatcherEmpty, probeDispatched, chainCount, chainAggregate, aggFirst, aggMiddle, aggLast);
    }

    /** The consumer alone: a ring filled beforehand, drained and decoded by one Java thread. */
    private static Samples drainRate(int rounds) {
        System.out.printf("drain: %,d records of 16 B pre-filled by a program, then drained and decoded by one thread, %d rounds%n",
                DRAIN_RECORDS, rounds);
        Samples rate = new Samples("ring buffer: Java drain + decode, one thread", "records/s", rounds);
        int ringBytes = Integer.highestOneBit(DRAIN_RECORDS * RECORD_FOOTPRINT) * 2;
        try (BpfMap ring = BpfMap.create(MapSpec.ringBuffer("b_drain", ringBytes));
             BpfMap seq = BpfMap.create(MapSpec.array("b_dseq", 8, 2));
             Program writer = Program.load(ProgramSpec.of("b_writer", ProgramType.SCHED_CLS,
                     RingBufferPrograms.numberedRecords(ring, seq, RingBufferFlags.NO_WAKEUP)));
             RingBufferReader reader = new RingBufferReader(ring)) {
            Checksum sum = new Checksum();
            for (int round = -2; round < rounds; round++) {
                writer.testRun(new byte[PACKET_BYTES], DRAIN_RECORDS);
                long start = System.nanoTime();
                long drained = 0;
                while (drained < DRAIN_RECORDS) {
                    drained += reader.drain(sum);
                }
                long elapsed = System.nanoTime() - start;
                if (round >= 0) {
                    rate.add(drained * 1e9 / elapsed);
                }
            }
            if (seq.sumLong(RingBufferPrograms.LOST) > 0 || reader.corrupt() > 0) {
                throw new IllegalStateException("records lost while pre-filling: the figures would be wrong");
            }
            System.out.println("  (checksum " + sum.value + ")");
        }
        return rate;
    }

    /** Producer and consumer at once: the kernel writes as fast as it can, the consumer keeps up or counts loss. */
    private static List<Samples> concurrent(int rounds) throws InterruptedException {
        int runs = 5_000_000;
        System.out.printf("concurrent: a program writes %,d records as fast as the kernel runs it while one thread drains a 16 MiB ring, %d rounds%n",
                runs, rounds);
        Samples produced = new Samples("concurrent: records produced", "records/s", rounds);
        Samples lostShare = new Samples("concurrent: records lost (ring full)", "% of produced", rounds);
        for (int round = -1; round < rounds; round++) {
            try (BpfMap ring = BpfMap.create(MapSpec.ringBuffer("b_conc", 1 << 24));
                 BpfMap seq = BpfMap.create(MapSpec.array("b_cseq", 8, 2));
                 Program writer = Program.load(ProgramSpec.of("b_cwriter", ProgramType.SCHED_CLS,
                         RingBufferPrograms.numberedRecords(ring, seq, RingBufferFlags.NO_WAKEUP)));
                 RingBufferReader reader = new RingBufferReader(ring)) {
                Checksum sum = new Checksum();
                long[] elapsed = new long[1];
                Thread producer = Thread.ofPlatform().start(() -> {
                    long start = System.nanoTime();
                    writer.testRun(new byte[PACKET_BYTES], runs);
                    elapsed[0] = System.nanoTime() - start;
                });
                while (producer.isAlive()) {
                    reader.poll(1, sum);
                }
                producer.join();
                reader.drain(sum);
                long lost = seq.sumLong(RingBufferPrograms.LOST);
                if (reader.consumed() + lost != runs) {
                    throw new IllegalStateException("consumed " + reader.consumed() + " + lost " + lost + " != " + runs);
                }
                if (round >= 0) {
                    produced.add(runs * 1e9 / elapsed[0]);
                    lostShare.add(100.0 * lost / runs);
                }
            }
        }
        return List.of(produced, lostShare);
    }

    private static final String SHORT_FILTER = "udp and port 4000";
    private static final int SINGLE_RUNS = 20_000;

    /** The median of the kernel's duration of {@code runs} separate single runs, each on a fresh copy of {@code input}. */
    private static long singleRunMedian(Program program, byte[] input, int runs) {
        long[] d = new long[runs];
        for (int i = 0; i < runs; i++) {
            d[i] = program.testRun(input, 1).nanosPerRun();
        }
        java.util.Arrays.sort(d);
        return d[runs / 2];
    }
    /** A filter as long as users write them: every term is tested for the matching packet. */
    private static final String LONG_FILTER = "ip and udp and not icmp and (src net 10.0.0.0/8 or src net 192.168.0.0/16)"
            + " and dst host 10.0.0.2 and (port 4000 or port 4001 or portrange 5000-5100) and len > 20 and len < 1500";

    /** The tracer's own tc probe program, as a trace with filter "udp and port 4000" would load it. */
    private static Program deviceProbe(ProbeMaps maps, int probeId, Set<Action> actions) {
        return deviceProbe(maps, probeId, actions, SHORT_FILTER, TagRole.NONE);
    }

    private static Program deviceProbe(ProbeMaps maps, int probeId, Set<Action> actions, String filter, TagRole role) {
        return deviceProbe(maps, probeId, actions, filter, role, null);
    }

    /** The same run by a hook's dispatcher from {@code chain}'s slot. */
    private static Program deviceProbe(ProbeMaps maps, int probeId, Set<Action> actions, String filter, TagRole role,
                                       HookChain chain) {
        ProbeDefinition def = new ProbeDefinition("bench" + probeId,
                ProbeSpecParser.parse(role == TagRole.NONE ? "dev:eth0:ingress"
                        : role == TagRole.WRITE ? "dev:ns/eth0:egress" : "dev:ns/eth0:ingress"), null, actions, 1);
        ProbeProgram pp = new ProbeProgramBuilder(Btf.kernel(), maps)
                .build(probeId, def, KeyFilter.of(filter), new ProbeScope(0, 0, 1500), role, chain).get(0);
        maps.configure(probeId, true, 1);
        return Program.load(pp.spec());
    }

    /** The tracer's tc probe in aggregate mode (the histogram action), ending journeys if {@code terminal}. */
    private static Program aggregatingProbe(ProbeMaps maps, AggregateMaps aggregateMaps, int probeId, boolean terminal) {
        return aggregatingProbe(maps, aggregateMaps, probeId, terminal, null);
    }

    private static Program aggregatingProbe(ProbeMaps maps, AggregateMaps aggregateMaps, int probeId, boolean terminal,
                                            HookChain chain) {
        ProbeDefinition def = new ProbeDefinition("bench" + probeId, ProbeSpecParser.parse("dev:eth0:ingress"), null,
                EnumSet.of(Action.HISTOGRAM), 1);
        ProbeProgram pp = new ProbeProgramBuilder(Btf.kernel(), maps, aggregateMaps)
                .build(probeId, def, KeyFilter.of(SHORT_FILTER), new ProbeScope(0, 0, 1500), TagRole.NONE, chain, terminal).get(0);
        maps.configure(probeId, true, 1);
        return Program.load(pp.spec());
    }

    /** A decode that the JIT cannot remove: reads both fields of every record. */
    private static final class Checksum implements RecordHandler {
        long value;

        @Override
        public void onRecord(MemorySegment buffer, long offset, int length) {
            value += buffer.get(JAVA_LONG_UNALIGNED, offset) ^ buffer.get(JAVA_LONG_UNALIGNED, offset + 8);
        }
    }

    private static byte[] udpPacket(int dport) {
        byte[] p = new byte[PACKET_BYTES];
        p[12] = 0x08; // EtherType IPv4
        p[14] = 0x45; // version 4, IHL 5
        p[14 + 3] = (byte) (PACKET_BYTES - 14); // IP total length
        p[14 + 8] = 64; // TTL
        p[14 + 9] = 17; // UDP
        p[14 + 12] = 10; // 10.0.0.1 > 10.0.0.2
        p[14 + 15] = 1;
        p[14 + 16] = 10;
        p[14 + 19] = 2;
        p[14 + 20 + 5] = (byte) (PACKET_BYTES - 34); // UDP length
        p[14 + 20 + 2] = (byte) (dport >> 8);
        p[14 + 20 + 3] = (byte) dport;
        return p;
    }

    private static void writeResult(List<Samples> all, int rounds) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "runtime");
        out.put("command", "scripts/bench runtime --rounds " + rounds);
        out.put("time", Instant.now().toString());
        out.put("kernel", Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
        out.put("cpus", Runtime.getRuntime().availableProcessors());
        out.put("java", Runtime.version().toString());
        out.put("figures", all.stream().map(Samples::toJson).toList());
        Path dir = Path.of("bench-results");
        Files.createDirectories(dir);
        Path file = dir.resolve("runtime-" + Instant.now().toString().replace(':', '-') + ".json");
        Files.writeString(file, JsonOut.write(out));
        System.out.println("\nresult written to " + file);
    }
}

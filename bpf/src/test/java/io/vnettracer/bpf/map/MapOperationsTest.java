package io.vnettracer.bpf.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.sys.BpfException;
import io.vnettracer.bpf.sys.Cpus;
import io.vnettracer.bpf.testing.Root;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MapOperationsTest {
    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void arrayElementsExistFromTheStartAndCannotBeDeleted() {
        try (BpfMap map = BpfMap.create(MapSpec.array("t_array", 8, 4))) {
            TypedMap<Integer, Long> typed = map.typed(Codec.U32, Codec.U64);
            assertEquals(0L, typed.get(3));
            typed.put(3, 42L);
            assertEquals(42L, typed.get(3));
            assertNull(typed.get(4), "index past the end");
            BpfException e = assertThrows(BpfException.class, () -> typed.remove(3));
            assertEquals("EINVAL", e.errnoName());
            assertTrue(e.getMessage().contains("t_array"), e.getMessage());
            assertEquals(4, map.keys().size());
        }
    }

    @Test
    void hashMapsInsertIterateAndDelete() {
        try (BpfMap map = BpfMap.create(MapSpec.hash("t_hash", 4, 8, 64))) {
            TypedMap<Integer, Long> typed = map.typed(Codec.U32, Codec.U64);
            for (int k = 0; k < 50; k++) {
                typed.put(k * 7, (long) k * k);
            }
            Map<Integer, Long> all = typed.entries();
            assertEquals(50, all.size());
            assertEquals(49L * 49, all.get(49 * 7));
            assertTrue(typed.remove(7));
            assertFalse(typed.remove(7), "second delete finds nothing");
            assertNull(typed.get(7));
            assertEquals(49, map.keys().size());
        }
    }

    @Test
    void aFullHashMapRefusesNewKeysButAnLruMapEvicts() {
        try (BpfMap hash = BpfMap.create(MapSpec.hash("t_full", 4, 8, 8));
             BpfMap lru = BpfMap.create(MapSpec.lruHash("t_lru", 4, 8, 8))) {
            TypedMap<Integer, Long> h = hash.typed(Codec.U32, Codec.U64);
            TypedMap<Integer, Long> l = lru.typed(Codec.U32, Codec.U64);
            for (int k = 0; k < 8; k++) {
                h.put(k, 1L);
            }
            BpfException e = assertThrows(BpfException.class, () -> h.put(100, 1L));
            assertEquals("E2BIG", e.errnoName());
            for (int k = 0; k < 1000; k++) {
                l.put(k, (long) k);
            }
            assertEquals(999L, l.get(999), "the newest key is kept");
            assertTrue(lru.keys().size() <= 8 * Math.max(1, Cpus.possible()) + 8,
                    "an LRU map stays bounded: " + lru.keys().size());
        }
    }

    @Test
    void perCpuValuesHaveOneSlotPerPossibleCpu() {
        try (BpfMap map = BpfMap.create(MapSpec.perCpuArray("t_percpu", 8, 2))) {
            int cpus = Cpus.possible();
            assertEquals(8 * cpus, map.userValueSize());
            long[] values = IntStream.range(0, cpus).mapToLong(i -> 10L + i).toArray();
            byte[] raw = new byte[8 * cpus];
            java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(values);
            map.typed(Codec.U32, Codec.bytes(8 * cpus)).put(1, raw);
            assertArrayEquals(values, map.lookupPerCpuLongs(1));
            assertEquals(IntStream.range(0, cpus).mapToLong(i -> 10L + i).sum(), map.sumLong(1));
        }
    }

    @Test
    void codecsOfTheWrongSizeAreRefusedBeforeTheKernelSeesThem() {
        try (BpfMap map = BpfMap.create(MapSpec.hash("t_codec", 8, 8, 4))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> map.typed(Codec.U32, Codec.U64));
            assertTrue(e.getMessage().contains("8-byte keys"), e.getMessage());
        }
    }

    @Test
    void keysOfAnEmptyMapAreEmpty() {
        try (BpfMap map = BpfMap.create(MapSpec.hash("t_empty", 4, 4, 4))) {
            Set<Integer> keys = map.keys().stream().map(b -> b.length).collect(Collectors.toSet());
            assertTrue(keys.isEmpty());
        }
    }
}

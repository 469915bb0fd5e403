package io.vnettracer.remote.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.vnettracer.remote.proto.Batch;
import io.vnettracer.remote.proto.ProbeLoss;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableLogTest {
    @TempDir
    Path dir;

    private static Batch batch(long seq, int records, boolean last) {
        return Batch.newBuilder().setSequence(seq).setRecords(ByteString.copyFrom(new byte[records * 104])).setLast(last)
                .addLosses(ProbeLoss.newBuilder().setProbeId(2).setRingLost(5).setSpoolDropped(7)).setUndecodable(1).build();
    }

    @Test
    void cutsATornTailAndResumesAfterTheLastWholeFrame() throws Exception {
        Path file = dir.resolve("vm1.log");
        try (DurableLog log = DurableLog.open(file)) {
            log.append(batch(1, 3, false));
            log.append(batch(2, 2, false));
        }
        long whole = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {0x56, 0x4E, 0x54, 0x42, 50, 0, 0, 0, 1, 2, 3}));
        }
        try (DurableLog log = DurableLog.open(file)) {
            assertEquals(whole, Files.size(file), "the torn frame is cut off");
            assertEquals(2, log.lastSequence());
            log.append(batch(2, 2, false));
            assertEquals(whole, Files.size(file), "a resent batch is written once");
            assertThrows(IllegalStateException.class, () -> log.append(batch(4, 1, false)), "a gap is an error");
            log.append(batch(3, 0, true));
            assertTrue(log.complete());
        }
        List<LogFrame> frames = DurableLog.read(file);
        assertEquals(3, frames.size());
        assertEquals(3 * 104, frames.get(0).records().length);
        assertEquals(5, frames.get(2).ringLost()[2]);
        assertEquals(7, frames.get(2).spoolDropped()[2]);
        assertEquals(1, frames.get(2).undecodable());
        assertTrue(frames.get(2).last());
    }
}

package org.fedorabuild.compat.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Adler32;
import org.fedorabuild.compat.fault.KojiFault;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * checkUpload's digest from the running Adler-32 kept while chunks arrive: right for in-order, retried, rewound
 * and refused chunks. Whether the running digest (and not a re-read) answered is seen by changing the stored
 * bytes behind the store's back, which only a re-read notices.
 */
class RunningDigestTest {
    @TempDir
    Path tmp;
    UploadStore store;
    final byte[] data = new byte[300_000];

    @BeforeEach
    void setUp() {
        store = new UploadStore(tmp.resolve("work"), 400_000);
        new Random(7).nextBytes(data);
    }

    private void chunk(long offset, byte[] bytes, int from, int to, boolean overwrite) throws IOException {
        store.receive("alice", new UploadRequest("f.src.rpm", "d", "adler32", offset, overwrite, null),
                new ByteArrayInputStream(bytes, from, to - from), false);
    }

    private String checked() throws IOException {
        return (String) store.check("d", "f.src.rpm", "adler32", false).get("hexdigest");
    }

    private Path stored() {
        return store.root().resolve("d/f.src.rpm");
    }

    /** Changes one stored byte, size kept: a re-read would see it, the running digest does not. */
    private void tamper() throws IOException {
        byte[] now = Files.readAllBytes(stored());
        now[0] ^= 1;
        Files.write(stored(), now);
    }

    private void assumeUserAttributes() throws IOException {
        Path probe = Files.writeString(tmp.resolve("probe"), "x");
        try {
            Files.getFileAttributeView(probe, UserDefinedFileAttributeView.class).write("probe", ByteBuffer.wrap(new byte[] {1}));
        } catch (IOException | RuntimeException e) {
            Assumptions.abort("this file system keeps no user attributes: " + e);
        }
    }

    @Test
    void combinedAdlerEqualsTheAdlerOfTheWhole() {
        Random r = new Random(3);
        for (int len : new int[] {0, 1, 5552, 65521, 65522, 200_000}) {
            byte[] b = new byte[len];
            r.nextBytes(b);
            Arrays.fill(b, 0, Math.min(len, 1000), (byte) 0xff); // the sums wrap early
            for (int cut : new int[] {0, len / 3, len}) {
                Adler32 head = new Adler32();
                head.update(b, 0, cut);
                Adler32 tail = new Adler32();
                tail.update(b, cut, len - cut);
                Adler32 whole = new Adler32();
                whole.update(b);
                assertEquals(whole.getValue(), UploadDigest.combine(head.getValue(), tail.getValue(), len - cut), len + "/" + cut);
            }
        }
    }

    @Test
    void inOrderChunksAreAnsweredWithoutReadingTheFileAgain() throws Exception {
        assumeUserAttributes();
        for (int off = 0; off < data.length; off += 65536) {
            chunk(off, data, off, Math.min(data.length, off + 65536), true);
        }
        assertEquals(UploadDigest.of(data, 0, data.length), checked());
        tamper();
        assertEquals(UploadDigest.of(data, 0, data.length), checked(), "the running digest answered, not a re-read");
    }

    @Test
    void aRetriedLastChunkWithOtherBytesKeepsTheDigestRight() throws Exception {
        assumeUserAttributes();
        byte[] other = data.clone();
        other[150_000] ^= 0x55;
        chunk(0, data, 0, 100_000, true);
        chunk(100_000, data, 100_000, 200_000, true);
        chunk(100_000, other, 100_000, 200_000, true); // the retry carries other bytes
        chunk(200_000, other, 200_000, 300_000, true);
        assertEquals(UploadDigest.of(other, 0, other.length), checked());
        tamper();
        assertEquals(UploadDigest.of(other, 0, other.length), checked(), "a retried last chunk keeps the running digest");
    }

    @Test
    void rewoundAndAppendedChunksFallBackToReadingTheFile() throws Exception {
        byte[] other = data.clone();
        other[50_000] ^= 0x55;
        chunk(0, data, 0, 100_000, true);
        chunk(100_000, data, 100_000, 200_000, true);
        chunk(200_000, data, 200_000, 300_000, true);
        chunk(0, other, 0, 100_000, true); // back to the start: truncated, the rest comes again
        assertEquals(UploadDigest.of(other, 0, 100_000), checked());
        chunk(100_000, other, 100_000, 200_000, false);
        chunk(-1, other, 200_000, 300_000, false);
        assertEquals(UploadDigest.of(other, 0, other.length), checked());
        chunk(100_000, data, 100_000, 150_000, true); // rewound two chunks: what the digest covered is gone
        byte[] now = Files.readAllBytes(stored());
        assertEquals(150_000, now.length);
        assertEquals(UploadDigest.of(now, 0, now.length), checked());
    }

    @Test
    void aRefusedChunkLeavesTheDigestOfWhatIsStored() throws Exception {
        chunk(0, data, 0, 300_000, true);
        byte[] big = new byte[200_000];
        assertThrows(KojiFault.class, () -> chunk(250_000, big, 0, big.length, true)); // past the 400 000-byte limit
        byte[] now = Files.readAllBytes(stored());
        assertEquals(250_000, now.length);
        assertEquals(UploadDigest.of(now, 0, now.length), checked());
        assertThrows(KojiFault.class, () -> chunk(100, data, 0, 10, false)); // not at the end, no overwrite
        assertEquals(UploadDigest.of(now, 0, now.length), checked());
    }
}

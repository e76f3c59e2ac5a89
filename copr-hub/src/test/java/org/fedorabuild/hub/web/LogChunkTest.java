package org.fedorabuild.hub.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Log chunks never split a UTF-8 character, and reading chunk after chunk gives back the whole file. */
class LogChunkTest {
    @TempDir
    Path tmp;

    @Test
    void chunksRejoinToTheWholeTextWhateverTheChunkSize() throws Exception {
        String text = "build ✓ ok\nüñíçødé 𝄞 line\n".repeat(50);
        Path f = tmp.resolve("build.log");
        Files.writeString(f, text);
        for (int max = 4; max <= 64; max += 3) {
            StringBuilder sb = new StringBuilder();
            long off = 0;
            while (true) {
                LogChunk c = LogChunk.read(f, off, max);
                assertFalse(c.text().contains("\uFFFD"), "a character was split at chunk size " + max);
                sb.append(c.text());
                if (c.next() >= c.size()) {
                    break;
                }
                assertTrue(c.next() > off, "no progress at " + off);
                off = c.next();
            }
            assertEquals(text, sb.toString(), "chunk size " + max);
        }
    }

    @Test
    void theTailStartsAtALineAndSaysWhereItStarts() throws Exception {
        Path f = tmp.resolve("big.log");
        Files.writeString(f, "line\n".repeat(10_000));
        LogChunk c = LogChunk.tail(f, 1000);
        assertTrue(c.cutAtStart());
        assertTrue(c.text().startsWith("line\n"));
        assertEquals(c.size(), c.next());
        assertEquals(c.size() - c.from(), c.text().getBytes(StandardCharsets.UTF_8).length);
        LogChunk none = LogChunk.read(tmp.resolve("absent.log"), 5, 100);
        assertEquals("", none.text());
    }
}

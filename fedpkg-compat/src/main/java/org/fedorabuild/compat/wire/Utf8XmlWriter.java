package org.fedorabuild.compat.wire;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.ws.commons.serialize.XMLWriterImpl;

/**
 * Apache's XML writer for one UTF-8 document into memory, without the two costs profiling found in the
 * stock one: a synchronized {@code BufferedWriter.write} per character, and a {@code CharsetEncoder.canEncode}
 * call (which encodes into a fresh buffer) per character. UTF-8 encodes every {@code char} except a lone
 * surrogate half, so {@link #canEncode} answers as that encoder does and the output is byte-for-byte the same.
 */
final class Utf8XmlWriter extends XMLWriterImpl {
    /** Each thread keeps its buffer between documents (up to {@link #KEEP} chars): no regrowing per answer. */
    private static final ThreadLocal<char[]> SPARE = new ThreadLocal<>();
    private static final int KEEP = 1 << 20;

    private final CharBuffer buffer = new CharBuffer();

    Utf8XmlWriter() {
        setEncoding("UTF-8");
        setDeclarating(true);
        setIndenting(false);
        setFlushing(false);
        setWriter(buffer);
    }

    @Override
    public boolean canEncode(char c) {
        return !Character.isSurrogate(c);
    }

    /** The document as UTF-8 in one exactly-sized array; the char buffer goes back to the thread. */
    byte[] toUtf8() {
        char[] c = buffer.chars;
        int n = buffer.size;
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            if (c[i] >= 0x80) {
                ascii = false;
                break;
            }
        }
        byte[] out;
        if (ascii) {
            out = new byte[n];
            for (int i = 0; i < n; i++) {
                out[i] = (byte) c[i];
            }
        } else {
            out = new String(c, 0, n).getBytes(StandardCharsets.UTF_8);
        }
        if (c.length <= KEEP) {
            SPARE.set(c);
        }
        buffer.chars = null;
        return out;
    }

    /** An unsynchronized, growing char array: one writer per document, one thread. */
    private static final class CharBuffer extends Writer {
        char[] chars;
        int size;

        CharBuffer() {
            char[] spare = SPARE.get();
            SPARE.remove();
            chars = spare != null ? spare : new char[4096];
        }

        private void room(int n) {
            if (size + n > chars.length) {
                chars = Arrays.copyOf(chars, Math.max(chars.length * 2, size + n));
            }
        }

        @Override
        public void write(int c) {
            room(1);
            chars[size++] = (char) c;
        }

        @Override
        public void write(char[] c, int off, int len) {
            room(len);
            System.arraycopy(c, off, chars, size, len);
            size += len;
        }

        @Override
        public void write(String s, int off, int len) {
            room(len);
            s.getChars(off, off + len, chars, size);
            size += len;
        }

        @Override
        public void write(String s) {
            write(s, 0, s.length());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}

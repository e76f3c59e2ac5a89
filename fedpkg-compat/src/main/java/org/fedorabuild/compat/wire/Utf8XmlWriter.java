package org.fedorabuild.compat.wire;

import java.io.Writer;
import java.util.Arrays;
import org.apache.ws.commons.serialize.XMLWriterImpl;

/**
 * Apache's XML writer for one UTF-8 document into memory, without the two costs profiling found in the
 * stock one: a synchronized {@code BufferedWriter.write} per character, and a {@code CharsetEncoder.canEncode}
 * call (which encodes into a fresh buffer) per character. UTF-8 encodes every {@code char} except a lone
 * surrogate half, so {@link #canEncode} answers as that encoder does and the output is byte-for-byte the same.
 * Characters are encoded as they are written, into bytes: a large answer (a base64 file of
 * {@code downloadTaskOutput}) costs one byte per character while it is built, not two.
 */
final class Utf8XmlWriter extends XMLWriterImpl {
    /** Each thread keeps its buffer between documents (up to {@link #KEEP} bytes): no regrowing per answer. */
    private static final ThreadLocal<byte[]> SPARE = new ThreadLocal<>();
    private static final int KEEP = 1 << 20;

    private final ByteSink sink = new ByteSink();

    Utf8XmlWriter() {
        setEncoding("UTF-8");
        setDeclarating(true);
        setIndenting(false);
        setFlushing(false);
        setWriter(sink);
    }

    @Override
    public boolean canEncode(char c) {
        return !Character.isSurrogate(c);
    }

    /** The document as UTF-8 in one exactly-sized array; the buffer goes back to the thread. */
    byte[] toUtf8() {
        byte[] b = sink.bytes;
        byte[] out = Arrays.copyOf(b, sink.size);
        if (b.length <= KEEP) {
            SPARE.set(b);
        }
        sink.bytes = null;
        return out;
    }

    /** An unsynchronized, growing UTF-8 byte array: one writer per document, one thread. */
    private static final class ByteSink extends Writer {
        byte[] bytes;
        int size;
        /** A high surrogate waiting for its low half (markup never splits a pair, but a write may). */
        private char high;

        ByteSink() {
            byte[] spare = SPARE.get();
            SPARE.remove();
            bytes = spare != null ? spare : new byte[4096];
        }

        private void room(int n) {
            if (size + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
            }
        }

        private void put(char c) {
            if (c < 0x80 && high == 0) {
                room(1);
                bytes[size++] = (byte) c;
            } else if (Character.isHighSurrogate(c)) {
                if (high != 0) {
                    replacement();
                }
                high = c;
            } else if (Character.isLowSurrogate(c) && high != 0) {
                int cp = Character.toCodePoint(high, c);
                high = 0;
                room(4);
                bytes[size++] = (byte) (0xF0 | cp >> 18);
                bytes[size++] = (byte) (0x80 | cp >> 12 & 0x3F);
                bytes[size++] = (byte) (0x80 | cp >> 6 & 0x3F);
                bytes[size++] = (byte) (0x80 | cp & 0x3F);
            } else {
                if (high != 0) {
                    high = 0;
                    replacement();
                }
                if (Character.isLowSurrogate(c)) {
                    replacement();
                } else if (c < 0x80) {
                    room(1);
                    bytes[size++] = (byte) c;
                } else if (c < 0x800) {
                    room(2);
                    bytes[size++] = (byte) (0xC0 | c >> 6);
                    bytes[size++] = (byte) (0x80 | c & 0x3F);
                } else {
                    room(3);
                    bytes[size++] = (byte) (0xE0 | c >> 12);
                    bytes[size++] = (byte) (0x80 | c >> 6 & 0x3F);
                    bytes[size++] = (byte) (0x80 | c & 0x3F);
                }
            }
        }

        /** What String.getBytes(UTF_8) writes for a lone surrogate half. */
        private void replacement() {
            room(1);
            bytes[size++] = '?';
        }

        @Override
        public void write(int c) {
            put((char) c);
        }

        @Override
        public void write(char[] c, int off, int len) {
            room(len);
            for (int i = off; i < off + len; i++) {
                put(c[i]);
            }
        }

        @Override
        public void write(String s, int off, int len) {
            room(len);
            for (int i = off; i < off + len; i++) {
                put(s.charAt(i));
            }
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

package org.fedorabuild.compat.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.Arrays;
import org.apache.ws.commons.serialize.XMLWriterImpl;
import org.xml.sax.SAXException;

/**
 * Apache's XML writer for one UTF-8 document into memory, without the two costs profiling found in the
 * stock one: a synchronized {@code BufferedWriter.write} per character, and a {@code CharsetEncoder.canEncode}
 * call (which encodes into a fresh buffer) per character. UTF-8 encodes every {@code char} except a lone
 * surrogate half, so {@link #canEncode} answers as that encoder does and the output is byte-for-byte the same.
 * Characters are encoded as they are written, into bytes: a large answer (a base64 file of
 * {@code downloadTaskOutput}) costs one byte per character while it is built, not two.
 * <p>
 * Besides building a document in memory, it can write one straight into a stream through a bounded buffer
 * ({@link #streaming}), or only count its bytes ({@link #measuring}), or keep it in memory up to a cap and count
 * past it ({@link #capped}): how the hub learns an answer's size before sending any of it without holding it.
 */
final class Utf8XmlWriter extends XMLWriterImpl {
    /** Each thread keeps its buffer between documents (up to {@link #KEEP} bytes): no regrowing per answer. */
    private static final ThreadLocal<byte[]> SPARE = new ThreadLocal<>();
    private static final int KEEP = 1 << 20;

    /** The buffer of a document that is streamed or counted: what one answer holds on the heap. */
    static final int CHUNK = 64 * 1024;

    private final ByteSink sink;

    Utf8XmlWriter() {
        this(new ByteSink(null, false, Long.MAX_VALUE));
    }

    /** Writes into {@code out} in chunks of {@link #CHUNK} bytes; {@link #finish} writes the last one. */
    static Utf8XmlWriter streaming(OutputStream out) {
        return new Utf8XmlWriter(new ByteSink(out, false, CHUNK));
    }

    /** Counts the document's bytes, keeping none. */
    static Utf8XmlWriter measuring() {
        return new Utf8XmlWriter(new ByteSink(null, true, CHUNK));
    }

    /** Keeps the document in memory while it is at most {@code cap} bytes; past that, only counts. */
    static Utf8XmlWriter capped(long cap) {
        return new Utf8XmlWriter(new ByteSink(null, false, cap));
    }

    private Utf8XmlWriter(ByteSink sink) {
        this.sink = sink;
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
        byte[] out = Arrays.copyOf(sink.bytes, sink.size);
        release();
        return out;
    }

    /** Bytes of the document so far (all of it once written). */
    long size() {
        return sink.drained + sink.size;
    }

    /** Whether the whole document is in memory ({@link #toUtf8} gives it). */
    boolean kept() {
        return sink.drained == 0 && !sink.counting;
    }

    /** Sends what is buffered to the stream. */
    void finish() throws IOException {
        sink.drain();
    }

    void release() {
        if (sink.bytes != null && sink.bytes.length <= KEEP) {
            SPARE.set(sink.bytes);
        }
        sink.bytes = null;
    }

    /** Writes a file's base64 as element text; counted without reading the file when its bytes are not kept. */
    void base64(FileBase64 value) throws SAXException {
        characters(new char[0], 0, 0); // closes a pending start tag, as text would
        try {
            sink.base64(value);
        } catch (IOException e) {
            throw new SAXException(e);
        }
    }

    /**
     * An unsynchronized UTF-8 byte buffer: one writer per document, one thread. It grows up to {@code cap};
     * past that it drains: into {@code out} when there is one, else into nothing (counting from then on).
     */
    private static final class ByteSink extends Writer {
        final OutputStream out;
        final long cap;
        boolean counting;
        byte[] bytes;
        int size;
        /** Bytes already sent to {@code out} or counted and dropped. */
        long drained;
        /** A high surrogate waiting for its low half (markup never splits a pair, but a write may). */
        private char high;

        ByteSink(OutputStream out, boolean counting, long cap) {
            this.out = out;
            this.counting = counting;
            this.cap = cap;
            byte[] spare = SPARE.get();
            SPARE.remove();
            int least = cap == Long.MAX_VALUE ? 4096 : (int) Math.min(cap, CHUNK);
            bytes = spare != null && spare.length >= least ? spare : new byte[Math.max(least, 16)];
        }

        private void room(int n) throws IOException {
            if (size + n <= bytes.length && size + (long) n <= cap) {
                return;
            }
            if (out == null && !counting && size + (long) n <= cap) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(cap, Math.max(bytes.length * 2L, size + (long) n)));
                return;
            }
            counting = out == null;
            drain();
        }

        void drain() throws IOException {
            if (out != null && size > 0) {
                out.write(bytes, 0, size);
            }
            drained += size;
            size = 0;
        }

        void base64(FileBase64 value) throws IOException {
            long n = value.encodedLength();
            if (out == null && (counting || size + n > cap)) {
                counting = true;
                drained += n;
                return;
            }
            value.encode(this::putAscii);
        }

        private void putAscii(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                room(Math.min(len, bytes.length));
                int n = Math.min(len, bytes.length - size);
                System.arraycopy(b, off, bytes, size, n);
                size += n;
                off += n;
                len -= n;
            }
        }

        private void put(char c) throws IOException {
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
        private void replacement() throws IOException {
            room(1);
            bytes[size++] = '?';
        }

        @Override
        public void write(int c) throws IOException {
            put((char) c);
        }

        @Override
        public void write(char[] c, int off, int len) throws IOException {
            room(Math.min(len, bytes.length));
            for (int i = off; i < off + len; i++) {
                put(c[i]);
            }
        }

        @Override
        public void write(String s, int off, int len) throws IOException {
            room(Math.min(len, bytes.length));
            for (int i = off; i < off + len; i++) {
                put(s.charAt(i));
            }
        }

        @Override
        public void write(String s) throws IOException {
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

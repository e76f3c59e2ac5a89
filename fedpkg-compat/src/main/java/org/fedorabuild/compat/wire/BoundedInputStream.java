package org.fedorabuild.compat.wire;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails the read that goes past the limit, so an oversized body costs at most the limit in memory. */
final class BoundedInputStream extends FilterInputStream {
    private final long limit;
    private long count;

    BoundedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            account(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, (int) Math.min(len, limit - count + 1));
        if (n > 0) {
            account(n);
        }
        return n;
    }

    private void account(int n) throws IOException {
        count += n;
        if (count > limit) {
            throw new WireFormatException(WireFormatException.Reason.TOO_LARGE,
                    "body exceeds the limit of " + limit + " bytes", null);
        }
    }
}

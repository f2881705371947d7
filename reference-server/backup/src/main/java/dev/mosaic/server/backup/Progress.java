package dev.mosaic.server.backup;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the bytes of one backup or restore across all its streams and tells a
 * {@link ProgressListener}, at most about every {@link #STEP_BYTES} or {@link #STEP_NANOS}.
 */
final class Progress {
    static final long STEP_BYTES = 1L << 20;
    static final long STEP_NANOS = 1_000_000_000L;

    private final ProgressListener listener;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong lastBytes = new AtomicLong();
    private final AtomicLong lastNanos = new AtomicLong(System.nanoTime());

    Progress(ProgressListener listener, long total) {
        this.listener = listener;
        this.total.set(Math.max(0, total));
    }

    void addTotal(long hint) {
        if (hint > 0) {
            total.addAndGet(hint);
        }
    }

    long done() {
        return done.get();
    }

    void add(long n) {
        long now = done.addAndGet(n);
        long t = System.nanoTime();
        long lb = lastBytes.get();
        long ln = lastNanos.get();
        if ((now - lb >= STEP_BYTES || t - ln >= STEP_NANOS) && lastBytes.compareAndSet(lb, now)) {
            lastNanos.set(t);
            listener.progress(now, total.get());
        }
    }

    /** The final report. */
    void finish() {
        listener.progress(done.get(), total.get());
    }

    OutputStream counting(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                add(1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                add(len);
            }
        };
    }

    InputStream counting(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b >= 0) {
                    add(1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) {
                    add(n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long s = in.skip(n);
                if (s > 0) {
                    add(s);
                }
                return s;
            }
        };
    }
}

package org.neuralj.core;

import java.util.Locale;

/**
 * What the Java heap can still give, so that code about to allocate on behalf of an untrusted size (a file header, a
 * layer width, a label) can refuse with a message instead of failing with an {@link OutOfMemoryError}. Readers
 * compare what a file declares both with their own caller-set limit and with {@link #fits}, and report a refusal
 * in their own exception type, naming the file.
 */
public final class HeapBudget {

    private HeapBudget() {
    }

    /** {@code maxMemory − (totalMemory − freeMemory)}: bytes a new allocation may still take. */
    public static long available() {
        Runtime r = Runtime.getRuntime();
        return r.maxMemory() - (r.totalMemory() - r.freeMemory());
    }

    /**
     * Whether {@code bytes} more can be allocated. Garbage not yet collected counts as used, so before answering no
     * it asks for one collection (only on this rare path) and looks again.
     */
    public static boolean fits(long bytes) {
        if (bytes <= available()) {
            return true;
        }
        System.gc();
        return bytes <= available();
    }

    /**
     * Null when {@code bytes} fits, otherwise the end of a refusal, e.g. {@code "needs 4,294,967,296 bytes but the
     * heap has 1,073,741,824 free (raise it with java -Xmx)"}.
     */
    public static String shortfall(long bytes) {
        if (fits(bytes)) {
            return null;
        }
        return String.format(Locale.ROOT, "needs %,d bytes but the heap has %,d free (raise it with java -Xmx)",
                bytes, Math.max(0, available()));
    }
}

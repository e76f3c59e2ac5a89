package org.fedorabuild.compat.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * A serializable Throwable (the type Apache XML-RPC casts a {@code faultCause} to) whose deserialization
 * is recorded: if any code path runs {@code ObjectInputStream.readObject} on a body, {@link #triggered()}
 * turns true. Stands in for a gadget chain without doing anything harmful.
 */
public final class DeserializationCanary extends Exception {
    private static final long serialVersionUID = 1L;
    private static volatile boolean triggered;

    public DeserializationCanary() {
        super("canary");
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        triggered = true;
    }

    public static boolean triggered() {
        return triggered;
    }

    public static void reset() {
        triggered = false;
    }

    /** The Java serialization of a canary, base64-encoded as XML-RPC writes it. */
    public static String serializedBase64() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(new DeserializationCanary());
            }
            return Base64.getEncoder().encodeToString(bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Proves the canary works: reading the bytes back with plain Java serialization does trigger it. */
    public static void selfTest() throws Exception {
        reset();
        try (ObjectInputStream in = new ObjectInputStream(
                new java.io.ByteArrayInputStream(Base64.getDecoder().decode(serializedBase64())))) {
            in.readObject();
        }
        if (!triggered) {
            throw new AssertionError("canary did not record its own deserialization");
        }
        reset();
    }
}

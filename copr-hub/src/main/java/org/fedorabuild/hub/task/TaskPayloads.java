package org.fedorabuild.hub.task;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.wire.KojiCall;
import org.fedorabuild.compat.wire.KojiCodec;
import org.fedorabuild.compat.wire.WireFormatException;
import org.fedorabuild.compat.wire.WireLimits;

/**
 * How a task's {@code request} and {@code result} are stored: as Koji stores them, the full XML-RPC
 * {@code methodCall} of the parameters (keyword arguments {@code __starstar}-encoded) and the full
 * {@code methodResponse} or fault the builder sent, so they decode to exactly what Koji clients expect.
 */
public final class TaskPayloads {
    private static final KojiCodec CODEC = new KojiCodec(WireLimits.RESPONSE);

    private TaskPayloads() {
    }

    public static String encodeRequest(String method, List<Object> args, Map<String, Object> kwargs) {
        return new String(CODEC.encodeCall(new KojiCall(method, args, kwargs)), StandardCharsets.UTF_8);
    }

    /** The parameter list as the client gets it from getTaskRequest / getTaskInfo(request=True). */
    public static List<Object> decodeRequest(String xml) {
        try {
            return CODEC.decodeCall(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).wireParams();
        } catch (WireFormatException e) {
            throw new IllegalStateException("stored task request does not decode: " + e.getMessage(), e);
        }
    }

    /** Decoded requests by their stored text: a task's request never changes, and listings decode the same ones again. */
    private static final java.util.concurrent.ConcurrentHashMap<String, List<Object>> SHARED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int SHARED_ENTRIES = 8192;
    private static final int SHARED_MAX_CHARS = 8192;

    /**
     * As {@link #decodeRequest}, for answers that only read it (getTaskInfo, listTasks): the list may be shared
     * with other callers and must not be modified. Profiling listTasks showed most of its time in decoding each
     * row's request; small requests are kept decoded (bounded: emptied when full).
     */
    public static List<Object> decodeRequestShared(String xml) {
        if (xml.length() > SHARED_MAX_CHARS) {
            return decodeRequest(xml);
        }
        List<Object> cached = SHARED.get(xml);
        if (cached == null) {
            cached = java.util.Collections.unmodifiableList(decodeRequest(xml));
            if (SHARED.size() >= SHARED_ENTRIES) {
                SHARED.clear();
            }
            SHARED.put(xml, cached);
        }
        return cached;
    }

    public static String encodeResult(Object value) {
        return new String(CODEC.encodeResponse(value), StandardCharsets.UTF_8);
    }

    /** A stored fault result, as kojid's host.failTask sends it. */
    public static String encodeFault(int code, String message) {
        return new String(CODEC.encodeFault(code, message), StandardCharsets.UTF_8);
    }

    /** A stored result: the value, or the stored fault thrown as a {@link KojiFault}. */
    public static Object decodeResult(String xml) {
        try {
            return CODEC.decodeResponse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (WireFormatException e) {
            throw new IllegalStateException("stored task result does not decode: " + e.getMessage(), e);
        }
    }

    /** listTasks(decode=True) shows a stored fault as its struct instead of raising it. */
    public static Object decodeResultForListing(String xml) {
        try {
            return decodeResult(xml);
        } catch (KojiFault f) {
            return Map.of("faultCode", f.code(), "faultString", f.getMessage());
        }
    }
}

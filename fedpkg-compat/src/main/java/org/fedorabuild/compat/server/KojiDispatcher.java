package org.fedorabuild.compat.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.compat.fault.KojiFault.ParameterError;
import org.fedorabuild.compat.multicall.MulticallEntry;
import org.fedorabuild.compat.wire.KojiCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Routes decoded calls to registered {@link HubMethod}s, the way Koji's {@code kojixmlrpc} does: unknown
 * names are fault 1000 {@code Invalid method: NAME}, binding errors fault 1019, Koji faults pass through
 * with their codes, and anything else becomes fault 1 with the details only in the hub log. Both
 * {@code multiCall} (Koji's) and {@code system.multicall} answer {@code [value]} or a fault struct per
 * entry.
 */
public final class KojiDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(KojiDispatcher.class);

    private final MethodRegistry registry;
    private final CallInterceptor interceptor;
    private final int maxCalls;
    private final long maxAnswerBytes;
    private final java.util.function.ToLongFunction<Object> sizer;

    public KojiDispatcher(MethodRegistry registry, CallInterceptor interceptor) {
        this(registry, interceptor, Integer.MAX_VALUE, Long.MAX_VALUE, v -> 0);
    }

    /**
     * @param maxCalls       entries one multicall may hold
     * @param maxAnswerBytes encoded size one answer may reach: a multicall stops at the entry that passes it
     * @param sizer          the encoded size of one entry's answer
     */
    public KojiDispatcher(MethodRegistry registry, CallInterceptor interceptor, int maxCalls, long maxAnswerBytes,
            java.util.function.ToLongFunction<Object> sizer) {
        this.registry = registry;
        this.interceptor = interceptor;
        this.maxCalls = maxCalls;
        this.maxAnswerBytes = maxAnswerBytes;
        this.sizer = sizer;
    }

    public long maxAnswerBytes() {
        return maxAnswerBytes;
    }

    public MethodRegistry registry() {
        return registry;
    }

    /** Dispatches one HTTP request's call; returns the result value or throws the fault to answer. */
    public Object dispatch(CallContext context, KojiCall call) {
        long start = System.nanoTime();
        MDC.put("m", call.method());
        try {
            Object result = intercept(context, call, CallInterceptor.Stage.REQUEST,
                    () -> isMulticall(call.method()) ? multicall(context, call) : invoke(context, call));
            LOG.info("Completed method {} in {} s", call.method(), seconds(start));
            return result;
        } catch (KojiFault fault) {
            LOG.info("Completed method {} in {} s with {}", call.method(), seconds(start), fault.toString());
            throw fault;
        } finally {
            MDC.remove("m");
        }
    }

    /**
     * Runs a request that is not an XML-RPC call (a raw upload) inside the same REQUEST interception, so it
     * is authenticated and call-numbered like any call.
     */
    public Object intercepted(CallContext context, KojiCall call, CallInterceptor.Invocation body) {
        long start = System.nanoTime();
        Object result = intercept(context, call, CallInterceptor.Stage.REQUEST, body);
        LOG.info("Completed {} in {} s", call.method(), seconds(start));
        return result;
    }

    private static String seconds(long start) {
        return String.format("%.6f", (System.nanoTime() - start) / 1e9);
    }

    private static boolean isMulticall(String method) {
        return "multiCall".equals(method) || "system.multicall".equals(method);
    }

    private Object multicall(CallContext context, KojiCall call) {
        if (call.args().size() != 1 || !(call.args().get(0) instanceof List<?> entries) || !call.kwargs().isEmpty()) {
            throw new ParameterError(call.method() + "() takes exactly one list of calls");
        }
        if (entries.size() > maxCalls) {
            throw new GenericError(call.method() + " of " + entries.size() + " calls exceeds the limit of " + maxCalls
                    + " calls per multicall; split it");
        }
        List<Object> results = new ArrayList<>(entries.size());
        long answerBytes = 0;
        for (Object raw : entries) {
            if (!results.isEmpty() && maxAnswerBytes != Long.MAX_VALUE) {
                // measured entry by entry, so an amplifying batch stops before the answer is built
                answerBytes += sizer.applyAsLong(results.get(results.size() - 1));
                if (answerBytes > maxAnswerBytes) {
                    throw new GenericError(call.method() + " answer exceeds the limit of " + maxAnswerBytes + " bytes after "
                            + results.size() + " of " + entries.size() + " calls; ask for less per call or split the multicall");
                }
            }
            KojiCall entry;
            try {
                entry = MulticallEntry.decode(raw);
            } catch (KojiFault fault) {
                results.add(faultStruct(fault));
                continue;
            }
            try {
                if (isMulticall(entry.method())) {
                    throw new GenericError("multicall is not allowed within a multicall");
                }
                results.add(nullable(intercept(context, entry, CallInterceptor.Stage.ENTRY,
                        () -> invoke(context, entry))));
            } catch (KojiFault fault) {
                results.add(faultStruct(fault));
            }
        }
        if (!results.isEmpty() && maxAnswerBytes != Long.MAX_VALUE
                && answerBytes + sizer.applyAsLong(results.get(results.size() - 1)) > maxAnswerBytes) {
            throw new GenericError(call.method() + " answer exceeds the limit of " + maxAnswerBytes + " bytes after "
                    + results.size() + " of " + entries.size() + " calls; ask for less per call or split the multicall");
        }
        return results;
    }

    private static List<Object> nullable(Object value) {
        List<Object> one = new ArrayList<>(1);
        one.add(value);
        return one;
    }

    /** The shape Koji gives a failed multicall entry. */
    public static Map<String, Object> faultStruct(KojiFault fault) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("faultCode", fault.code());
        f.put("faultString", fault.getMessage());
        return f;
    }

    private Object intercept(CallContext context, KojiCall call, CallInterceptor.Stage stage,
            CallInterceptor.Invocation body) {
        try {
            return interceptor.intercept(context, call, stage, body);
        } catch (KojiFault fault) {
            throw fault;
        } catch (Throwable t) {
            throw internal(call, t);
        }
    }

    private Object invoke(CallContext context, KojiCall call) throws Exception {
        if ("system.listMethods".equals(call.method())) {
            List<String> names = new ArrayList<>();
            registry.all().forEach(m -> names.add(m.name()));
            names.add("multiCall");
            names.add("system.multicall");
            return names;
        }
        if ("_listapi".equals(call.method())) {
            List<Object> api = new ArrayList<>();
            for (HubMethod m : registry.all()) {
                api.add(Map.of("name", m.name(), "args", m.argNames(), "argdesc", "(" + String.join(", ", m.argNames()) + ")"));
            }
            return api;
        }
        HubMethod method = registry.find(call.method());
        if (method == null) {
            throw new GenericError("Invalid method: " + call.method());
        }
        try {
            return method.invoke(context, call);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * A failure that is not a Koji fault is a bug or an outage on our side: the client gets code 1 and a
     * reference, the operator gets the stack trace under that reference.
     */
    private static KojiFault internal(KojiCall call, Throwable t) {
        String ref = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("Internal error in method {} (ref {})", call.method(), ref, t);
        return new KojiFault(1, "<class 'InternalError'>: internal hub error in " + call.method()
                + ", logged as ref " + ref);
    }
}

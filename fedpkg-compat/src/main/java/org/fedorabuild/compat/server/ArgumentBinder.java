package org.fedorabuild.compat.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault.ParameterError;
import org.fedorabuild.compat.wire.KojiCall;

/**
 * Binds a call's positional and keyword arguments to parameter names by Python's rules, and words its
 * failures as Python's TypeError does: the koji CLI recognises phrases such as "got an unexpected keyword
 * argument" to fall back to older call forms, so the wording is part of the protocol.
 */
final class ArgumentBinder {
    /** One named parameter of a hub function. */
    record Spec(String name, boolean optional) {
    }

    /** The bound arguments: one slot per named parameter ({@link #ABSENT} when not given), plus the rest. */
    record Bound(Object[] named, List<Object> extraArgs, Map<String, Object> extraKwargs) {
    }

    static final Object ABSENT = new Object() {
        @Override
        public String toString() {
            return "<absent>";
        }
    };

    private final String function;
    private final List<Spec> params;
    private final boolean varArgs;
    private final boolean kwArgs;

    ArgumentBinder(String function, List<Spec> params, boolean varArgs, boolean kwArgs) {
        this.function = function;
        this.params = List.copyOf(params);
        this.varArgs = varArgs;
        this.kwArgs = kwArgs;
    }

    Bound bind(KojiCall call) {
        Object[] named = new Object[params.size()];
        java.util.Arrays.fill(named, ABSENT);
        List<Object> args = call.args();
        List<Object> extraArgs = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (i < named.length) {
                named[i] = args.get(i);
            } else if (varArgs) {
                extraArgs.add(args.get(i));
            } else {
                throw tooManyPositional(args.size());
            }
        }
        Map<String, Object> extraKw = new LinkedHashMap<>();
        for (Map.Entry<String, Object> kw : call.kwargs().entrySet()) {
            int index = indexOf(kw.getKey());
            if (index >= 0) {
                if (named[index] != ABSENT) {
                    throw new ParameterError(function + "() got multiple values for argument '" + kw.getKey() + "'");
                }
                named[index] = kw.getValue();
            } else if (kwArgs) {
                extraKw.put(kw.getKey(), kw.getValue());
            } else {
                throw new ParameterError(function + "() got an unexpected keyword argument '" + kw.getKey() + "'");
            }
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < named.length; i++) {
            if (named[i] == ABSENT && !params.get(i).optional()) {
                missing.add("'" + params.get(i).name() + "'");
            }
        }
        if (!missing.isEmpty()) {
            throw new ParameterError(function + "() missing " + missing.size() + " required positional argument"
                    + (missing.size() == 1 ? "" : "s") + ": " + pythonJoin(missing));
        }
        return new Bound(named, extraArgs, extraKw);
    }

    private int indexOf(String name) {
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private ParameterError tooManyPositional(int given) {
        long required = params.stream().filter(p -> !p.optional()).count();
        String takes = required == params.size() ? String.valueOf(required) : "from " + required + " to " + params.size();
        String plural = required == params.size() && required == 1 ? "" : "s";
        return new ParameterError(function + "() takes " + takes + " positional argument" + plural + " but "
                + given + (given == 1 ? " was" : " were") + " given");
    }

    /** Python lists missing names as 'a', 'b' and 'c'. */
    private static String pythonJoin(List<String> names) {
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }
}

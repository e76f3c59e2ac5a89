package org.fedorabuild.compat.server;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.fedorabuild.compat.wire.KojiCall;

/** One registered hub call: its wire name, Python-style signature and the Java method behind it. */
public final class HubMethod {
    private enum Slot { CONTEXT, NAMED, VARARGS, KWARGS }

    private final String name;
    private final boolean readOnly;
    private final MethodHandle handle;
    private final Slot[] slots;
    private final Class<?>[] types;
    private final String[] names;
    private final ArgumentBinder binder;
    private final List<ArgumentBinder.Spec> specs;

    HubMethod(Object target, Method method, KojiMethod annotation) {
        this.name = annotation.value().isEmpty() ? method.getName() : annotation.value();
        this.readOnly = annotation.readOnly();
        Parameter[] params = method.getParameters();
        this.slots = new Slot[params.length];
        this.types = new Class<?>[params.length];
        this.names = new String[params.length];
        List<ArgumentBinder.Spec> named = new ArrayList<>();
        boolean varArgs = false;
        boolean kwArgs = false;
        for (int i = 0; i < params.length; i++) {
            Parameter p = params[i];
            types[i] = p.getType();
            if (p.getType() == CallContext.class) {
                slots[i] = Slot.CONTEXT;
            } else if (p.isAnnotationPresent(VarArgs.class)) {
                slots[i] = Slot.VARARGS;
                varArgs = true;
            } else if (p.isAnnotationPresent(KwArgs.class)) {
                slots[i] = Slot.KWARGS;
                kwArgs = true;
            } else {
                Param param = p.getAnnotation(Param.class);
                if (param == null) {
                    throw new IllegalArgumentException(method + ": parameter " + i + " lacks @Param");
                }
                if (param.optional() && p.getType().isPrimitive()) {
                    throw new IllegalArgumentException(method + ": optional parameter " + param.value()
                            + " must not be primitive (it is null when absent)");
                }
                slots[i] = Slot.NAMED;
                names[i] = param.value();
                named.add(new ArgumentBinder.Spec(param.value(), param.optional()));
            }
        }
        this.specs = List.copyOf(named);
        this.binder = new ArgumentBinder(name, named, varArgs, kwArgs);
        try {
            method.setAccessible(true);
            this.handle = MethodHandles.lookup().unreflect(method).bindTo(target);
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("cannot access " + method, e);
        }
    }

    public String name() {
        return name;
    }

    public boolean readOnly() {
        return readOnly;
    }

    /** Parameter names in order, for introspection ({@code _listapi}). */
    public List<String> argNames() {
        return specs.stream().map(ArgumentBinder.Spec::name).toList();
    }

    Object invoke(CallContext context, KojiCall call) throws Throwable {
        ArgumentBinder.Bound bound = binder.bind(call);
        Object[] values = new Object[slots.length];
        int named = 0;
        for (int i = 0; i < slots.length; i++) {
            switch (slots[i]) {
                case CONTEXT -> values[i] = context;
                case VARARGS -> values[i] = bound.extraArgs();
                case KWARGS -> values[i] = bound.extraKwargs();
                case NAMED -> {
                    Object v = bound.named()[named++];
                    values[i] = v == ArgumentBinder.ABSENT ? null : ValueConverter.convert(name, names[i], v, types[i]);
                }
            }
        }
        return handle.invokeWithArguments(values);
    }

    @Override
    public String toString() {
        return name + "(" + String.join(", ", argNames()) + ")";
    }

}

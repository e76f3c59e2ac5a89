package org.fedorabuild.compat.server;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** The hub calls a server answers, collected from objects whose methods carry {@link KojiMethod}. */
public final class MethodRegistry {
    private final Map<String, HubMethod> methods = new TreeMap<>();

    /** Registers every {@link KojiMethod} of {@code service}; a name registered twice is a programming error. */
    public MethodRegistry register(Object service) {
        for (Method m : service.getClass().getMethods()) {
            KojiMethod annotation = m.getAnnotation(KojiMethod.class);
            if (annotation != null) {
                HubMethod hm = new HubMethod(service, m, annotation);
                if (methods.putIfAbsent(hm.name(), hm) != null) {
                    throw new IllegalStateException("hub method registered twice: " + hm.name());
                }
            }
        }
        return this;
    }

    public HubMethod find(String name) {
        return methods.get(name);
    }

    public Collection<HubMethod> all() {
        return Collections.unmodifiableCollection(methods.values());
    }
}

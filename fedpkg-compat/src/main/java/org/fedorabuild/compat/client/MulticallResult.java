package org.fedorabuild.compat.client;

import org.fedorabuild.compat.fault.KojiFault;

/** One entry of a multicall answer: Koji answers {@code [value]} for success, a fault struct for failure. */
public record MulticallResult(Object value, KojiFault fault) {
    public boolean ok() {
        return fault == null;
    }

    /** The value, or the entry's fault thrown (the client-side {@code strict} behaviour). */
    public Object get() {
        if (fault != null) {
            throw fault;
        }
        return value;
    }
}

package org.fedorabuild.compat.server;

import org.fedorabuild.compat.wire.KojiCall;

/**
 * The hub's hook around dispatch. {@link Stage#REQUEST} wraps a whole HTTP request once (authenticate the
 * session, check the call number, open the transaction); {@link Stage#ENTRY} wraps each call of a
 * multicall (a savepoint, so a failed entry rolls back alone while the rest commit).
 */
@FunctionalInterface
public interface CallInterceptor {
    enum Stage { REQUEST, ENTRY }

    @FunctionalInterface
    interface Invocation {
        Object proceed() throws Exception;
    }

    Object intercept(CallContext context, KojiCall call, Stage stage, Invocation next) throws Exception;

    CallInterceptor NONE = (context, call, stage, next) -> next.proceed();
}

package org.fedorabuild.compat.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A named hub parameter, as the Python hub function names it ({@code task_id}, {@code buildTagID}, …):
 * keyword arguments bind by this name. An {@link #optional()} parameter that the caller leaves out
 * arrives as null; the method applies Koji's default.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Param {
    String value();

    boolean optional() default false;
}

package org.fedorabuild.compat.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a Java method as a hub call. Its parameters bind the way Python binds Koji's hub functions:
 * each {@link Param} by position or by keyword, an optional {@link KwArgs} map catching unknown
 * keywords and an optional {@link VarArgs} list catching extra positionals; a {@link CallContext}
 * parameter receives the caller's context.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface KojiMethod {
    /** The wire name (dotted names such as {@code host.getID} are fine); the Java name when empty. */
    String value() default "";

    /** True for calls that change nothing: the hub may skip write-side bookkeeping for them. */
    boolean readOnly() default false;
}

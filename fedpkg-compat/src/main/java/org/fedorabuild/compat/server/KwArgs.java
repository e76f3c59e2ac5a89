package org.fedorabuild.compat.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A {@code Map<String,Object>} parameter receiving the keywords no {@link Param} names (Python's {@code **kw}). */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface KwArgs {
}

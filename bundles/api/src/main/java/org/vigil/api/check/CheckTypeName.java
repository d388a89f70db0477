package org.vigil.api.check;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The {@value CheckType#TYPE_PROPERTY} service property as a DS component property type, so a
 * check-type bundle names its keepalived block checked by the compiler:
 * {@code @Component(service = CheckType.class) @CheckTypeName(type = "REDIS_CHECK")}.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface CheckTypeName {
    /** Makes the single element {@code type} the property {@code vigil.check.type}. */
    String PREFIX_ = "vigil.check.";

    /** The keepalived block name, upper case. */
    String type();
}

package org.vigil.check.tcp.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The {@value org.vigil.api.check.CheckType#TYPE_PROPERTY} service property, typed, so the
 * registration is checked by the compiler rather than spelled as a string.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@interface CheckTypeName {
    String PREFIX_ = "vigil.check.";

    /** The keepalived block name. */
    String type();
}

package org.vigil.api.config;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Component property types (annotation types read as configuration, OSGi Compendium 112.8.2):
 * the method-name-to-key mapping, and a check that names the attribute a value fails in.
 */
public final class PropertyTypes {
    private PropertyTypes() {
    }

    /**
     * The configuration key of a property type's method, as Declarative Services maps it (OSGi
     * Compendium 112.8.2.2): "_" is ".", "__" is "_", "$$" is "$", "$_$" is "-", a single "$"
     * is dropped ({@code interface$} is {@code interface}, {@code delay_loop} is {@code delay.loop}).
     */
    public static String key(String method) {
        StringBuilder b = new StringBuilder(method.length());
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (c == '$') {
                if (method.startsWith("$$", i)) {
                    b.append('$');
                    i++;
                } else if (method.startsWith("$_$", i)) {
                    b.append('-');
                    i += 2;
                }
            } else if (c == '_') {
                if (method.startsWith("__", i)) {
                    b.append('_');
                    i++;
                } else {
                    b.append('.');
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Calls every attribute method of {@code config} and returns it. Declarative Services (and
     * {@code CheckProperties.as}) convert a value only when its method is called, so a wrong type
     * would otherwise fail somewhere later without a name; here the first that fails throws
     * IllegalArgumentException "attribute KEY: reason", KEY being the configuration key. A reason
     * that already starts with the method's name ({@code CheckProperties}' "delay_loop: ...") is
     * not named twice.
     */
    public static <A extends Annotation> A check(A config) {
        for (Method m : config.annotationType().getDeclaredMethods()) {
            // a component's Config is often package-private, and this class is in another package
            m.trySetAccessible();
            try {
                m.invoke(config);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
                String named = m.getName() + ": ";
                if (reason.startsWith(named)) {
                    reason = reason.substring(named.length());
                }
                throw new IllegalArgumentException("attribute " + key(m.getName()) + ": " + reason, cause);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return config;
    }
}

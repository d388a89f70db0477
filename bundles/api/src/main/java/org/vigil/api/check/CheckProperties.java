package org.vigil.api.check;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.vigil.api.config.PropertyTypes;

/**
 * A check block's own keywords, read typed. The keepalived.conf bridge stores each keyword as
 * its tokens under the keyword's name with underscores turned into dots ({@code helo_name} as
 * {@code helo.name}), and each sub-block as {@code name.N.keyword} ({@code url.0.path}), the same
 * naming the rest of Vigil's configuration uses. Read them through an annotation type, as
 * Declarative Services reads component property types:
 *
 * <pre>
 * &#64;interface SmtpConfig { String helo_name() default ""; }
 * SmtpConfig c = spec.properties().as(SmtpConfig.class);
 * </pre>
 *
 * <p>Method names map to keys as in DS ({@code _} is a dot, {@code __} an underscore); a method's
 * return type may be String, int, long, double, boolean, an enum (by name, any case) or an array
 * of those (one element per token). A bare keyword (no value) reads as {@code true}. An absent key
 * gives the method's default. A value that does not convert throws IllegalArgumentException
 * "KEYWORD: reason" ({@code delay_loop: 'soon' is not a number}), KEYWORD being the method's name,
 * which is the keyword as keepalived.conf writes it; the caller adds where the block is (its
 * file:line, {@link CheckSpec#origin()}). {@link PropertyTypes#check} names it once.
 */
public final class CheckProperties {
    private final Map<String, List<String>> values;

    /** @param values keyword (dotted) to its tokens */
    public CheckProperties(Map<String, List<String>> values) {
        TreeMap<String, List<String>> copy = new TreeMap<>();
        values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.values = Collections.unmodifiableMap(copy);
    }

    public static CheckProperties empty() {
        return new CheckProperties(Map.of());
    }

    /** All keys, dotted, sub-block keys included. */
    public Set<String> keys() {
        return values.keySet();
    }

    /** The tokens of a key, or empty when the keyword is absent. */
    public Optional<List<String>> tokens(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** The key's tokens joined by one space, or empty. */
    public Optional<String> get(String key) {
        return tokens(key).map(t -> String.join(" ", t));
    }

    /** The sub-blocks {@code name.0}, {@code name.1}, ... in order, each with its own keys. */
    public List<CheckProperties> blocks(String name) {
        String prefix = name + ".";
        TreeSet<Integer> indexes = new TreeSet<>();
        for (String k : values.keySet()) {
            if (k.startsWith(prefix)) {
                String rest = k.substring(prefix.length());
                int dot = rest.indexOf('.');
                if (dot > 0) {
                    try {
                        indexes.add(Integer.parseInt(rest.substring(0, dot)));
                    } catch (NumberFormatException e) {
                        // not a sub-block key
                    }
                }
            }
        }
        List<CheckProperties> blocks = new ArrayList<>();
        for (int i : indexes) {
            String p = prefix + i + ".";
            TreeMap<String, List<String>> sub = new TreeMap<>();
            values.forEach((k, v) -> {
                if (k.startsWith(p)) {
                    sub.put(k.substring(p.length()), v);
                }
            });
            blocks.add(new CheckProperties(sub));
        }
        return blocks;
    }

    /** Equal when the keys and their tokens are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CheckProperties other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }

    /** A typed view through an annotation type (see the class comment). */
    public <A> A as(Class<A> type) {
        if (!type.isAnnotation()) {
            throw new IllegalArgumentException(type.getName() + " is not an annotation type");
        }
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (proxy, m, args) -> {
            if (m.getDeclaringClass() == Object.class || m.getParameterCount() > 0) {
                return switch (m.getName()) {
                    case "toString" -> type.getSimpleName() + values;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(m.getName());
                };
            }
            if (m.getName().equals("annotationType")) {
                return type;
            }
            List<String> tokens = values.get(PropertyTypes.key(m.getName()));
            return tokens == null ? m.getDefaultValue() : convert(m, tokens);
        }));
    }

    private static Object convert(Method m, List<String> tokens) {
        Class<?> t = m.getReturnType();
        String keyword = m.getName();
        if (t.isArray()) {
            Object array = Array.newInstance(t.getComponentType(), tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                Array.set(array, i, scalar(t.getComponentType(), tokens.get(i), keyword));
            }
            return array;
        }
        if (t == String.class) {
            return String.join(" ", tokens);
        }
        if (t == boolean.class && tokens.isEmpty()) {
            // a bare flag (enable_sni, misc_dynamic): present means on
            return true;
        }
        if (tokens.size() != 1) {
            throw new IllegalArgumentException(keyword + ": one value expected, not " + tokens.size());
        }
        return scalar(t, tokens.get(0), keyword);
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static Object scalar(Class<?> t, String token, String keyword) {
        try {
            if (t == String.class) {
                return token;
            }
            if (t == int.class) {
                return Integer.parseInt(token);
            }
            if (t == long.class) {
                return Long.parseLong(token);
            }
            if (t == double.class) {
                return Double.parseDouble(token);
            }
            if (t == boolean.class) {
                return switch (token.toLowerCase(Locale.ROOT)) {
                    case "true", "on", "yes", "1" -> true;
                    case "false", "off", "no", "0" -> false;
                    default -> throw new IllegalArgumentException(keyword + ": '" + token + "' is not a boolean");
                };
            }
            if (t.isEnum()) {
                for (Object c : t.getEnumConstants()) {
                    if (((Enum) c).name().equalsIgnoreCase(token)) {
                        return c;
                    }
                }
                throw new IllegalArgumentException(keyword + ": unknown value '" + token + "'");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(keyword + ": '" + token + "' is not a number", e);
        }
        throw new IllegalArgumentException(keyword + ": unsupported type " + t.getSimpleName());
    }
}

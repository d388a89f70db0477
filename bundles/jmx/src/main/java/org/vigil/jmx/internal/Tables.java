package org.vigil.jmx.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import javax.management.openmbean.ArrayType;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;

/**
 * Open types for rows of values: a {@link Row} names its columns once (name, type, description,
 * how to read it from a value), and gives the CompositeType, the TabularType and the data.
 */
final class Tables {
    private Tables() {
    }

    static final ArrayType<String[]> STRINGS = stringArray();

    record Column<T>(String name, OpenType<?> type, String description, Function<T, Object> value) {
    }

    static <T> Column<T> col(String name, OpenType<?> type, String description, Function<T, Object> value) {
        return new Column<>(name, type, description, value);
    }

    /** A row type over values of T, keyed by the first {@code keys} columns in a table. */
    static final class Row<T> {
        final CompositeType composite;
        final TabularType table;
        private final List<Column<T>> columns;

        @SafeVarargs
        Row(String name, String description, int keys, Column<T>... columns) {
            this.columns = List.of(columns);
            String[] names = this.columns.stream().map(Column::name).toArray(String[]::new);
            String[] descriptions = this.columns.stream().map(Column::description).toArray(String[]::new);
            OpenType<?>[] types = this.columns.stream().map(Column::type).toArray(OpenType<?>[]::new);
            String[] index = new String[keys];
            System.arraycopy(names, 0, index, 0, keys);
            try {
                composite = new CompositeType(name, description, names, descriptions, types);
                table = new TabularType(name + "Table", description, composite, index);
            } catch (OpenDataException e) {
                throw new IllegalStateException(e);
            }
        }

        CompositeData of(T value) {
            List<Object> values = new ArrayList<>();
            columns.forEach(c -> values.add(c.value().apply(value)));
            try {
                return new CompositeDataSupport(composite, columns.stream().map(Column::name).toArray(String[]::new),
                        values.toArray());
            } catch (OpenDataException e) {
                throw new IllegalStateException(e);
            }
        }

        TabularData of(Iterable<T> values) {
            TabularDataSupport out = new TabularDataSupport(table);
            values.forEach(v -> out.put(of(v)));
            return out;
        }
    }

    static String text(Object o) {
        return o == null ? "" : o.toString();
    }

    private static ArrayType<String[]> stringArray() {
        try {
            return new ArrayType<>(1, SimpleType.STRING);
        } catch (OpenDataException e) {
            throw new IllegalStateException(e);
        }
    }
}

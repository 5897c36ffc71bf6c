package dev.mlops.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ForwardingModelStoreTest {
    private static final class Plain extends ForwardingModelStore {
        Plain(ModelStore delegate) {
            super(delegate);
        }
    }

    private static List<Method> storeMethods() {
        return Arrays.stream(ModelStore.class.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .sorted((a, b) -> a.toString().compareTo(b.toString()))
                .toList();
    }

    /** Fails as soon as ModelStore gains a method (abstract or default) that the forwarding class does not override. */
    @Test
    void everyModelStoreMethod_defaultsIncluded_isOverriddenByTheForwardingClass() {
        List<String> missing = new ArrayList<>();
        for (Method m : storeMethods()) {
            try {
                Method own = ForwardingModelStore.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
                assertFalse(Modifier.isAbstract(own.getModifiers()), own + " is abstract");
                assertTrue(Modifier.isPublic(own.getModifiers()), own + " is not public");
            } catch (NoSuchMethodException e) {
                missing.add(m.toString());
            }
        }
        assertEquals(List.of(), missing, "ModelStore methods that ForwardingModelStore does not forward explicitly");
        assertTrue(storeMethods().stream().anyMatch(Method::isDefault), "the check covers the interface's defaults too");
    }

    /** Each method reaches the delegate as the same method with the same arguments, and its result comes back as is. */
    @Test
    void everyMethod_reachesTheDelegateUnchanged_andReturnsItsResult() throws Exception {
        List<String> calls = new ArrayList<>();
        List<Object[]> arguments = new ArrayList<>();
        Map<Class<?>, Object> results = new HashMap<>();
        ModelStore recorder = (ModelStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ModelStore.class},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    calls.add(signature(method));
                    arguments.add(args == null ? new Object[0] : args);
                    return results.get(method.getReturnType());
                });
        ModelStore forwarding = new Plain(recorder);
        for (Method m : storeMethods()) {
            results.clear();
            results.put(Optional.class, Optional.of("result of " + m));
            results.put(List.class, new ArrayList<>(List.of(m)));
            Object[] args = Arrays.stream(m.getParameterTypes()).map(ForwardingModelStoreTest::sample).toArray();
            calls.clear();
            arguments.clear();
            Object result;
            try {
                result = m.invoke(forwarding, args);
            } catch (InvocationTargetException e) {
                throw new AssertionError(m + " threw", e.getCause());
            }
            assertEquals(List.of(signature(m)), calls, m + " reaches the delegate as itself, once");
            assertEquals(Arrays.asList(args), Arrays.asList(arguments.get(0)), m + " passes its arguments unchanged");
            assertSame(results.get(m.getReturnType()), result, m + " returns the delegate's result");
        }
    }

    @Test
    void toString_namesTheDelegate() {
        assertEquals("Plain[in-memory]", new Plain(named("in-memory")).toString());
    }

    private static ModelStore named(String name) {
        return (ModelStore) Proxy.newProxyInstance(ForwardingModelStoreTest.class.getClassLoader(),
                new Class<?>[] {ModelStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("toString")) {
                        return name;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static String signature(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }

    private static Object sample(Class<?> type) {
        if (type == String.class) {
            return "m";
        }
        if (type == long.class) {
            return 3L;
        }
        if (type == int.class) {
            return 7;
        }
        if (type == ModelRef.class) {
            return ModelRef.alias("m", "champion");
        }
        if (type == ModelRef.ByVersion.class) {
            return ModelRef.of("m", 2);
        }
        if (type == NewVersion.class) {
            return NewVersion.builder("m").artifact(new byte[] {1}).build();
        }
        if (type == PageRequest.class) {
            return PageRequest.first(5);
        }
        if (type == VersionQuery.class) {
            return VersionQuery.builder().model("m").build();
        }
        if (type == AliasExpect.class) {
            return AliasExpect.current(2);
        }
        if (type == ChangeNote.class) {
            return ChangeNote.by("alice").because("test");
        }
        if (type == Annotations.class) {
            return Annotations.builder().putTag("k", "v").build();
        }
        if (type == ModelStoreListener.class) {
            return (ModelStoreListener) e -> { };
        }
        return fail("no sample argument of " + type + ": add one for the new ModelStore method");
    }
}

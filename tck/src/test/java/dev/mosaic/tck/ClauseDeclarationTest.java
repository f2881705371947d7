package dev.mosaic.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.spi.PluginKind;
import dev.mosaic.tck.runner.ContractCatalog;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every clause of every catalogued contract is declared consistently. */
class ClauseDeclarationTest {
    @Test
    void registryContractDeclaresTheSpecifiedClauses() {
        assertEquals(List.of("registry.config-declared", "registry.config-missing-required", "registry.config-unknown-key",
                        "registry.create", "registry.description", "registry.discoverable", "registry.kind",
                        "registry.spi-version", "registry.type-name", "registry.unique"),
                Clauses.declaredBy(RegistryContract.class).stream().map(Clause::value).toList());
    }

    @Test
    void everyClauseMethodIsAPublicFinalTestTaggedWithItsIdAndHasText() {
        Set<Class<?>> contracts = new LinkedHashSet<>();
        for (PluginKind<?> kind : PluginKind.all()) {
            contracts.addAll(ContractCatalog.standard().contractsFor(kind));
        }
        Set<String> ids = new HashSet<>();
        for (Class<?> contract : contracts) {
            for (Class<?> c = contract; c != Object.class; c = c.getSuperclass()) {
                for (Method m : c.getDeclaredMethods()) {
                    Clause clause = m.getAnnotation(Clause.class);
                    if (clause == null) {
                        continue;
                    }
                    String where = c.getName() + "." + m.getName();
                    assertTrue(Clauses.ID.matcher(clause.value()).matches(), where + ": bad id " + clause.value());
                    assertTrue(!clause.text().isBlank(), where + ": no text");
                    assertNotNull(m.getAnnotation(Test.class), where + ": no @Test");
                    Tag tag = m.getAnnotation(Tag.class);
                    assertNotNull(tag, where + ": no @Tag");
                    assertEquals(clause.value(), tag.value(), where + ": @Tag differs from @Clause");
                    assertTrue(Modifier.isPublic(m.getModifiers()) && Modifier.isFinal(m.getModifiers()),
                            where + ": clause methods are public final so implementations cannot weaken them");
                    assertTrue(ids.add(c.getName() + "#" + clause.value()), where + ": duplicate clause " + clause.value());
                }
            }
        }
        assertTrue(ids.size() >= 10);
    }

    @Test
    void prefixedAddsTheClauseOnce() {
        assertEquals("registry.kind: x", Clauses.prefixed("registry.kind", "x"));
        assertEquals("registry.kind: x", Clauses.prefixed("registry.kind", "registry.kind: x"));
        assertEquals("registry.kind: failed", Clauses.prefixed("registry.kind", null));
    }
}

/**
 * mlops contract kits: abstract JUnit test classes that every implementation of an mlops interface,
 * ours or a user's, extends in its tests.
 */
module dev.mlops.tck {
    requires transitive dev.mlops.core;
    requires transitive org.junit.jupiter.api;
    requires transitive net.jqwik.api;

    exports dev.mlops.tck;
    // JUnit and jqwik call the kit's package-private test methods reflectively
    opens dev.mlops.tck;
}

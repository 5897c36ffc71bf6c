package dev.mlops.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** One reference, one text: parse accepts exactly the texts that toString writes. */
class ModelRefParseTest {
    @Property(tries = 2000)
    void parse_acceptsOnlyCanonicalText_soEveryAcceptedTextIsWhatToStringWrites(@ForAll("references") String text) {
        ModelRef ref;
        try {
            ref = ModelRef.parse(text);
        } catch (IllegalArgumentException rejected) {
            return;
        }
        assertEquals(text, ref.toString());
        assertEquals(ref, ModelRef.parse(ref.toString()));
    }

    @Provide
    Arbitrary<String> references() {
        Arbitrary<String> names = Arbitraries.of("a", "fraud-scorer", "m.1", "A", "", "a b");
        Arbitrary<String> versions = Arbitraries.oneOf(
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.strings().withChars("0123456789+-\u0661\uff11 latest").ofMaxLength(21),
                Arbitraries.of("latest", "1", "01", "+1", "\u0661", "9223372036854775807", "9223372036854775808"));
        Arbitrary<String> separators = Arbitraries.of(":", "@");
        return net.jqwik.api.Combinators.combine(names, separators, versions).as((n, sep, v) -> n + sep + v);
    }
}

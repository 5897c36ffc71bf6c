package dev.mlops.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureSchemaTest {
    private final FeatureSchema schema = FeatureSchema.builder()
            .numeric("amount", 0, 1000)
            .numeric("age")
            .categorical("country", "de", "fr", "us")
            .build();

    @Test
    void builder_keepsOrderRangesAndCategories() {
        assertEquals(List.of("amount", "age"), schema.numericNames());
        assertEquals(List.of("country"), schema.categoricalNames());
        assertTrue(schema.numeric().get(0).hasRange());
        assertFalse(schema.numeric().get(1).hasRange());
        assertTrue(schema.numeric().get(0).outOfRange(1000.5));
        assertFalse(schema.numeric().get(0).outOfRange(1000));
    }

    @Test
    void duplicateNames_acrossKinds_areRejectedNamingTheFeature() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureSchema.builder().numeric("x").categorical("x", "a").build());
        assertTrue(e.getMessage().contains("x"), e.getMessage());
    }

    @Test
    void invertedOrNaNRange_isRejectedNamingTheFeature() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureSchema.builder().numeric("amount", 5, 1));
        assertTrue(e.getMessage().contains("amount") && e.getMessage().contains("[5.0, 1.0]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FeatureSchema.builder().numeric("amount", Double.NaN, 1));
    }

    @Test
    void blankNames_andDuplicateCategories_areRejected() {
        assertThrows(IllegalArgumentException.class, () -> FeatureSchema.builder().numeric(" "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureSchema.builder().categorical("country", "de", "de"));
        assertTrue(e.getMessage().contains("country"), e.getMessage());
    }

    @Test
    void indexOf_mapsKnownNullAndUnknownNames() {
        FeatureSchema.Categorical country = schema.categorical().get(0);
        assertEquals(1, country.indexOf("fr"));
        assertEquals(-1, country.indexOf(null));
        assertEquals(3, country.indexOf("jp"));
    }

    @Test
    void checkShape_namesTheExpectedLengthAndFeatures() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> schema.checkShape(new double[1], new int[1]));
        assertEquals("numeric: expected 2 values, one per numeric feature [amount, age], was 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> schema.checkShape(new double[2], new int[0]));
        assertEquals("categories: expected 1 values, one per categorical feature [country], was 0", e.getMessage());
    }

    @Test
    void violations_nameEachFeatureThatBreaksTheSchema() {
        assertEquals(List.of(), schema.violations(new double[] {10, 30}, new int[] {2}));
        List<String> v = schema.violations(new double[] {2000, Double.NaN}, new int[] {7});
        assertEquals(3, v.size(), v.toString());
        assertTrue(v.get(0).contains("amount") && v.get(0).contains("2000.0"), v.get(0));
        assertTrue(v.get(1).contains("age") && v.get(1).contains("missing"), v.get(1));
        assertTrue(v.get(2).contains("country") && v.get(2).contains("7"), v.get(2));
    }
}

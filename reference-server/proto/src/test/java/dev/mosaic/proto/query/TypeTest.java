package dev.mosaic.proto.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.sql.SqlType;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TypeTest {

    @Test
    void protoTypesAreExactlyTheSqlTypes() {
        Set<String> proto = Arrays.stream(Type.values()).filter(t -> t != Type.UNRECOGNIZED)
                .map(Enum::name).collect(Collectors.toSet());
        Set<String> api = Arrays.stream(SqlType.values()).map(Enum::name).collect(Collectors.toSet());
        assertEquals(api, proto);
    }

    /** The Vitess flag bits in each number agree with SqlType's categories. */
    @ParameterizedTest
    @EnumSource(SqlType.class)
    void flagBitsAgreeWithTheApiCategories(SqlType sqlType) {
        int n = Type.valueOf(sqlType.name()).getNumber();
        assertEquals(sqlType.isIntegral(), (n & Flag.ISINTEGRAL_VALUE) != 0, "integral");
        assertEquals(sqlType.isFloat(), (n & Flag.ISFLOAT_VALUE) != 0, "float");
        if (sqlType.isUnsigned()) {
            assertTrue((n & Flag.ISUNSIGNED_VALUE) != 0, "unsigned");
        }
        // Vitess flags the parser's hex and bit literals ISTEXT; the api classes them as binary
        // (they denote bytes). The numbers stay Vitess's, so the two disagree for these three.
        boolean parserLiteral = sqlType == SqlType.HEXNUM || sqlType == SqlType.HEXVAL || sqlType == SqlType.BITNUM;
        if ((n & Flag.ISTEXT_VALUE) != 0 && !parserLiteral) {
            assertTrue(sqlType.isText(), "text");
        }
        if ((n & Flag.ISBINARY_VALUE) != 0) {
            assertTrue(sqlType.isBinary(), "binary");
        }
    }
}

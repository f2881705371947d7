package dev.mosaic.server.sql.normalize;

import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HexFormat;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.HexValue;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;

/** Reads SQL literal nodes as typed values, with MySQL's typing of literals. */
public final class Literal {
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private Literal() {
    }

    /**
     * The value of a literal that may be replaced by a bind variable, or null if {@code e} is not
     * one: integers (INT64, UINT64 above the signed range, DECIMAL beyond), decimals (DECIMAL),
     * numbers with an exponent (FLOAT64), plain strings (VARCHAR), hex literals (HEXVAL), and a
     * minus sign before a number. NULL, booleans, prefixed strings ({@code _utf8mb4'..'},
     * {@code N'..'}) and temporal literals are not normalized.
     */
    public static Value normalizable(Expression e) {
        if (e instanceof LongValue l) {
            return integer(l.getStringValue(), false);
        }
        if (e instanceof DoubleValue d) {
            return decimal(d.toString(), false);
        }
        if (e instanceof StringValue s) {
            if (s.getPrefix() != null && !s.getPrefix().isEmpty()) {
                return null;
            }
            return Value.of(s.getNotExcapedValue());
        }
        if (e instanceof HexValue h) {
            String digits = h.getDigits();
            if (digits == null) {
                return null;
            }
            if (digits.length() % 2 == 1) {
                digits = "0" + digits;
            }
            return new Value.Binary(SqlType.HEXVAL, HexFormat.of().parseHex(digits));
        }
        if (e instanceof SignedExpression s && s.getSign() == '-') {
            if (s.getExpression() instanceof LongValue l) {
                return integer(l.getStringValue(), true);
            }
            if (s.getExpression() instanceof DoubleValue d) {
                return decimal(d.toString(), true);
            }
        }
        return null;
    }

    /** The value of any constant literal including NULL; null if {@code e} is not a constant literal. */
    public static Value constant(Expression e) {
        if (e instanceof NullValue) {
            return Value.NULL;
        }
        return normalizable(e);
    }

    /** The value the normalizer gives an unsigned integer literal written {@code digits}. */
    public static Value ofInteger(String digits) {
        return integer(digits, false);
    }

    /** The value the normalizer gives an unsigned decimal literal, or a number with an exponent, written {@code text}. */
    public static Value ofDecimal(String text) {
        return decimal(text, false);
    }

    private static Value integer(String text, boolean negative) {
        BigInteger v = new BigInteger(text.strip());
        if (negative) {
            v = v.negate();
        }
        if (v.bitLength() < 64) {
            return Value.of(v.longValue());
        }
        if (v.signum() > 0 && v.compareTo(UINT64_MAX) <= 0) {
            return Value.ofUnsigned(v.longValue());
        }
        return Value.of(new BigDecimal(v));
    }

    private static Value decimal(String text, boolean negative) {
        String t = text.strip();
        boolean exponent = t.indexOf('e') >= 0 || t.indexOf('E') >= 0;
        if (exponent) {
            double d = Double.parseDouble(t);
            return Value.of(negative ? -d : d);
        }
        BigDecimal b = new BigDecimal(t);
        return Value.of(negative ? b.negate() : b);
    }
}

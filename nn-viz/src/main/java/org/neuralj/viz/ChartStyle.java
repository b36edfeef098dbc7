package org.neuralj.viz;

import org.knowm.xchart.style.XYStyler;

/**
 * The axis number format of every chart: {@code 0.05} with its leading zero, not XChart's default {@code .05}, and
 * no trailing zeros ({@code 1}, {@code 0.5}).
 */
public final class ChartStyle {
    /** A {@link java.text.DecimalFormat} pattern: a leading zero and up to four decimals. */
    public static final String DECIMALS = "0.####";

    private ChartStyle() {
    }

    /** Sets both axes of {@code styler} to {@link #DECIMALS}; returns it. */
    public static XYStyler leadingZero(XYStyler styler) {
        styler.setXAxisDecimalPattern(DECIMALS);
        styler.setYAxisDecimalPattern(DECIMALS);
        return styler;
    }
}

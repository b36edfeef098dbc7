package org.neuralj.examples;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.neuralj.viz.ChartStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Gradient descent from its parts (the tutorials' "Learning in neural networks" chapter).
 *
 * <p><b>Numerical differentiation.</b> For {@code f(x) = eˣ} at {@code x = 1} (exact derivative e) the forward
 * difference {@code (f(x+h) − f(x)) / h} and the central difference {@code (f(x+h) − f(x−h)) / 2h}, in double and in
 * float32, for h = 10⁻¹ … 10⁻¹⁰. Their truncation errors are about {@code h f''/2} and {@code h² f'''/6}; rounding
 * adds about {@code ε |f| / h} (ε = 2⁻⁵³ in double, 2⁻²⁴ in float32), which grows as h shrinks. The best h balances
 * the two: near {@code ε^(1/2)} for the forward and {@code ε^(1/3)} for the central difference, i.e. 10⁻⁸ and 10⁻⁵ in
 * double but 10⁻⁴ and 10⁻² to 10⁻³ in float32, which is why a float32 network needs a larger h than the tutorial's 10⁻⁴.
 *
 * <p><b>Descent.</b> On {@code f(x₀, x₁) = x₀² + x₁²} from (−3, 4): {@code x ← x − η ∇f(x)}, the gradient taken
 * by central differences in double ({@code h = 10⁻⁴}) as the tutorial does. With η = 0.1 each step multiplies x by
 * {@code 1 − 2η = 0.8}, so 100 steps reach {@code 0.8¹⁰⁰ · 5 ≈ 1e−9} from the origin. With η = 10 the factor is
 * −19: the walk diverges. With η = 10⁻¹⁰ it is {@code 1 − 2·10⁻¹⁰}: no visible progress.
 */
@Command(name = "gradient-descent", mixinStandardHelpOptions = true,
        footerHeading = Main.EXAMPLE,
        footer = "  neuralj gradient-descent --start 2,-1 --lr 0.3 --steps 50",
        description = {"Numerical derivatives and gradient descent, step by step (the tutorials' 'Learning in neural"
                + " networks' chapter).",
                "Forward vs central differences of e^x at x = 1 for h = 1e-1..1e-10 in double and float32; then"
                        + " descent on x0^2 + x1^2 from (-3, 4), drawn over the contour lines, and the same with a"
                        + " too large and a too small learning rate."})
final class GradientDescentCommand implements Callable<Integer> {
    /** The point of the derivative table; {@code f = exp}, so the exact derivative is {@code e}. */
    static final double X = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--start", split = ",", paramLabel = "X0,X1", hideParamSyntax = true, defaultValue = "-3.0,4.0",
            description = "Starting point of the descent (default: ${DEFAULT-VALUE}).")
    List<Double> start;

    @Option(names = {"--learning-rate", "--lr"}, paramLabel = "ETA", defaultValue = "0.1",
            description = "Learning rate of the main descent (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "100",
            description = "Descent steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--compare-rates", split = ",", paramLabel = "ETA[,ETA...]", hideParamSyntax = true, defaultValue = "10,1e-10",
            description = "Learning rates run after the main descent to show what goes wrong (default: "
                    + "${DEFAULT-VALUE}).")
    List<Double> compareRates;

    @Option(names = "--h", paramLabel = "H", defaultValue = "1e-4",
            description = "Step of the central differences that give the descent its gradient (default: "
                    + "${DEFAULT-VALUE}, the tutorial's).")
    double h;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
            description = "Folder for the picture (default: ${DEFAULT-VALUE}).")
    Path out;

    /** One row of the derivative table: the absolute errors against the exact derivative. */
    record DerivativeRow(double h, double forward64, double central64, double forward32, double central32) {
    }

    /** Where a descent with {@code learningRate} ended after its steps. */
    record Descent(double learningRate, double[][] path) {
        double[] end() {
            return path[path.length - 1];
        }
    }

    /** What {@link #run} computed, for the smoke test. */
    record Results(List<DerivativeRow> table, Descent main, List<Descent> compared, Path picture) {
    }

    @Override
    public Integer call() throws IOException {
        run();
        return 0;
    }

    Results run() throws IOException {
        FlagCheck.require(spec, start.size() == 2, "--start needs two numbers X0,X1 but got " + start);
        FlagCheck.finite(spec, "--start", start);
        FlagCheck.atLeast(spec, "--steps", steps, 1);
        FlagCheck.positive(spec, "--h", h);
        FlagCheck.positive(spec, "--learning-rate", learningRate);
        FlagCheck.require(spec, compareRates.stream().allMatch(eta -> eta > 0 && Double.isFinite(eta)),
                "--compare-rates must all be positive finite numbers but were " + compareRates);
        PrintWriter o = spec.commandLine().getOut();
        List<DerivativeRow> table = derivativeTable(o);
        o.println();

        double[] x0 = {start.get(0), start.get(1)};
        o.printf(Locale.ROOT, "2. Gradient descent on f(x0, x1) = x0^2 + x1^2 from (%s, %s): x <- x - %s * grad f(x),"
                + " the gradient by central differences (h = %s, double)%n", plain(x0[0]), plain(x0[1]),
                plain(learningRate), plain(h));
        Descent main = descend(x0, learningRate);
        double[][] p = main.path();
        o.println("   step        x0              x1              f(x)");
        for (int k = 0; k < p.length; k++) {
            if (k <= 10 || k % 10 == 0 || k == p.length - 1) {
                o.printf(Locale.ROOT, "   %4d  %14.6e  %14.6e  %14.6e%n", k, p[k][0], p[k][1], f(p[k]));
            }
        }
        o.printf(Locale.ROOT, "   after %d steps: (%.3e, %.3e), %.3e from the minimum at (0, 0)%n", steps,
                main.end()[0], main.end()[1], Math.hypot(main.end()[0], main.end()[1]));
        Path picture = drawPath(main);
        o.printf("   Wrote the path over the contour lines of f to %s%n%n", picture);

        o.println("3. The learning rate decides whether descent works at all:");
        List<Descent> compared = compareRates.stream().map(eta -> descend(x0, eta)).toList();
        for (Descent d : compared) {
            double[] e = d.end();
            double[] exact = {x0[0] * Math.pow(1 - 2 * d.learningRate(), steps),
                    x0[1] * Math.pow(1 - 2 * d.learningRate(), steps)};
            o.printf(Locale.ROOT, "   lr %-6s after %d steps: (%.8e, %.8e), f = %.3e; with the exact gradient 2x:"
                    + " (%.3e, %.3e)%n", plain(d.learningRate()), steps, e[0], e[1], f(e), exact[0], exact[1]);
            o.println("      " + verdict(d, x0));
        }
        o.flush();
        return new Results(table, main, compared, picture);
    }

    /** Prints and returns the forward and central difference errors for h = 1e-1 … 1e-10. */
    private static List<DerivativeRow> derivativeTable(PrintWriter o) {
        double exact = Math.exp(X);
        o.printf(Locale.ROOT, "1. Numerical derivative of f(x) = e^x at x = %s (exact: e = %.16f): absolute errors%n",
                X, exact);
        o.println("   h        forward, double  central, double  forward, float32  central, float32");
        List<DerivativeRow> rows = new ArrayList<>();
        for (int k = 1; k <= 10; k++) {
            double step = Math.pow(10, -k);
            float x = (float) X, hf = (float) step;
            float forward32 = ((float) Math.exp(x + hf) - (float) Math.exp(x)) / hf;
            float central32 = ((float) Math.exp(x + hf) - (float) Math.exp(x - hf)) / (2 * hf);
            DerivativeRow r = new DerivativeRow(step,
                    Math.abs((Math.exp(X + step) - Math.exp(X)) / step - exact),
                    Math.abs((Math.exp(X + step) - Math.exp(X - step)) / (2 * step) - exact),
                    Math.abs(forward32 - exact), Math.abs(central32 - exact));
            rows.add(r);
            o.printf(Locale.ROOT, "   1e-%-2d    %.2e         %.2e         %.2e          %.2e%n", k, r.forward64(),
                    r.central64(), r.forward32(), r.central32());
        }
        String[] names = {"forward, double", "central, double", "forward, float32", "central, float32"};
        for (int c = 0; c < 4; c++) {
            int col = c;
            DerivativeRow best = rows.stream().min(Comparator.comparingDouble(r -> error(r, col))).get();
            o.printf(Locale.ROOT, "   best h for %-16s 1e-%d (error %.1e)%n", names[c],
                    Math.round(-Math.log10(best.h())), error(best, c));
        }
        o.println("   The error first falls with h (truncation: ~h f''/2 forward, ~h^2 f'''/6 central), then rises"
                + " again when rounding (~eps |f| / h) takes over. float32 keeps about 7 digits, so it needs a larger"
                + " h: at the tutorial's h = 1e-4 its central difference is wrong in the 4th digit, and below 1e-7"
                + " x + h rounds back to x and the estimate collapses to 0.");
        return rows;
    }

    static double error(DerivativeRow r, int column) {
        return switch (column) {
            case 0 -> r.forward64();
            case 1 -> r.central64();
            case 2 -> r.forward32();
            default -> r.central32();
        };
    }

    /** A number as written by hand: {@code 10}, {@code 0.1}, {@code 1e-10}, {@code -3}. */
    static String plain(double v) {
        return Double.toString(v).replace("E", "e").replaceFirst("\\.0(?=e|$)", "");
    }

    static double f(double[] x) {
        return x[0] * x[0] + x[1] * x[1];
    }

    /** The gradient of {@code fn} at {@code x} by central differences with step {@code h}, coordinate by coordinate. */
    static double[] numericalGradient(ToDoubleFunction<double[]> fn, double[] x, double h) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double original = x[i];
            x[i] = original + h;
            double plus = fn.applyAsDouble(x);
            x[i] = original - h;
            double minus = fn.applyAsDouble(x);
            x[i] = original;
            g[i] = (plus - minus) / (2 * h);
        }
        return g;
    }

    /** {@code --steps} steps of {@code x ← x − η ∇f(x)} from {@code x0}, with the numerical gradient. */
    private Descent descend(double[] x0, double eta) {
        double[][] path = new double[steps + 1][];
        double[] x = x0.clone();
        path[0] = x.clone();
        for (int k = 1; k <= steps; k++) {
            double[] g = numericalGradient(GradientDescentCommand::f, x, h);
            for (int i = 0; i < x.length; i++) {
                x[i] -= eta * g[i];
            }
            path[k] = x.clone();
        }
        return new Descent(eta, path);
    }

    /** What went wrong (or right) with a descent, in one sentence. */
    private String verdict(Descent d, double[] x0) {
        double startDistance = Math.hypot(x0[0], x0[1]), endDistance = Math.hypot(d.end()[0], d.end()[1]);
        if (endDistance > startDistance) {
            boolean frozen = d.end()[0] == d.path()[d.path().length - 2][0]
                    && d.end()[1] == d.path()[d.path().length - 2][1];
            return "Diverged: each step overshoots the minimum and lands further away."
                    + (frozen ? " The walk then froze: once |x| is so large that x + h == x in double, the central"
                    + " difference returns 0 and descent stops (the exact gradient would keep growing)." : "");
        }
        if (startDistance - endDistance < 1e-6 * startDistance) {
            return String.format(Locale.ROOT, "No progress: the steps are too small to move (%.1e of the distance"
                    + " in %d steps).", (startDistance - endDistance) / startDistance, steps);
        }
        return String.format(Locale.ROOT, "Converging: %.1e from the minimum.", endDistance);
    }

    /** Draws the contour lines f = 1, 4, 9, 16, 25 and the descent path as {@code gradient-descent-path.png}. */
    private Path drawPath(Descent d) throws IOException {
        Files.createDirectories(out);
        XYChart chart = new XYChartBuilder().width(640).height(640)
                .title("Gradient descent on x0^2 + x1^2, lr " + d.learningRate()).xAxisTitle("x0").yAxisTitle("x1")
                .build();
        XYStyler styler = ChartStyle.leadingZero(chart.getStyler());
        styler.setLegendPosition(Styler.LegendPosition.InsideSW);
        double radius = Math.max(5, Math.ceil(Math.hypot(d.path()[0][0], d.path()[0][1])));
        styler.setXAxisMin(-radius).setXAxisMax(radius).setYAxisMin(-radius).setYAxisMax(radius);
        int points = 181;
        for (int r = 1; r <= radius; r++) {
            double[] cx = new double[points], cy = new double[points];
            for (int i = 0; i < points; i++) {
                double angle = 2 * Math.PI * i / (points - 1);
                cx[i] = r * Math.cos(angle);
                cy[i] = r * Math.sin(angle);
            }
            chart.addSeries(r == 1 ? "contour lines f = 1, 4, 9, ..." : "f = " + r * r, cx, cy).setMarker(SeriesMarkers.NONE).setLineColor(Color.LIGHT_GRAY)
                    .setShowInLegend(r == 1);
        }
        double[] px = new double[d.path().length], py = new double[d.path().length];
        for (int k = 0; k < px.length; k++) {
            px[k] = d.path()[k][0];
            py[k] = d.path()[k][1];
        }
        XYSeries path = chart.addSeries("path (" + (px.length - 1) + " steps)", px, py);
        path.setMarker(SeriesMarkers.CIRCLE);
        path.setMarkerColor(Color.RED);
        path.setLineColor(Color.RED);
        Path file = out.resolve("gradient-descent-path.png");
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}

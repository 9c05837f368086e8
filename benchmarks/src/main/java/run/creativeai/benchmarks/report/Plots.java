package run.creativeai.benchmarks.report;

import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A benchmark's CSV drawn as a small PNG line chart (XChart), one line per series and y column. Columns
 * in a unit other than the first y column's (by name suffix: {@code jobs_per_s} next to {@code p50_ms})
 * get a second y axis; the x axis of a sweep (a few settings spanning two decades or more, such as
 * 1, 10, 100 clients) is logarithmic, that of a series over time or any many-valued x is linear.
 */
public final class Plots {
    /** At most this many distinct x values make a sweep, plotted on a logarithmic axis when it spans decades. */
    static final int SWEEP_SETTINGS = 12;
    private static final int WIDTH = 860;
    private static final int HEIGHT = 380;

    private Plots() {
    }

    public static void write(String title, Csv csv, Path png) throws IOException {
        String firstUnit = Csv.unit(csv.yNames().get(0));
        String y = csv.yNames().size() == 1 ? csv.yNames().get(0) : firstUnit;
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(csv.xName())
                .yAxisTitle(y).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE)
                .setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f))
                .setMarkerSize(4).setAntiAlias(true);
        java.util.List<Double> allX = new java.util.ArrayList<>();
        for (Csv.Line line : csv.lines()) {
            double[] xs = line.points().stream().mapToDouble(p -> p[0]).toArray();
            double[] ys = line.points().stream().mapToDouble(p -> p[1]).toArray();
            for (double x : xs) {
                allX.add(x);
            }
            String unit = Csv.unit(line.column());
            int group = unit.equals(firstUnit) ? 0 : 1;
            chart.addSeries(line.label(), xs, ys).setMarker(SeriesMarkers.CIRCLE).setYAxisGroup(group);
            if (group == 1) {
                chart.setYAxisGroupTitle(1, unit);
                chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
            }
        }
        chart.getStyler().setXAxisLogarithmic(isSweepOverDecades(allX));
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** A few distinct settings (threads, clients) spanning two decades or more: a logarithmic x axis. */
    static boolean isSweepOverDecades(java.util.Collection<Double> xs) {
        java.util.Set<Double> distinct = new java.util.TreeSet<>(xs);
        if (distinct.isEmpty() || distinct.size() > SWEEP_SETTINGS) {
            return false;
        }
        double min = ((java.util.TreeSet<Double>) distinct).first();
        double max = ((java.util.TreeSet<Double>) distinct).last();
        return min > 0 && max / min >= 50;
    }
}

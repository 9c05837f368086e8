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
 * get a second y axis; an x axis spanning two decades or more (1, 10, 100 clients) is logarithmic.
 */
public final class Plots {
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
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        for (Csv.Line line : csv.lines()) {
            double[] xs = line.points().stream().mapToDouble(p -> p[0]).toArray();
            double[] ys = line.points().stream().mapToDouble(p -> p[1]).toArray();
            for (double x : xs) {
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
            }
            String unit = Csv.unit(line.column());
            int group = unit.equals(firstUnit) ? 0 : 1;
            chart.addSeries(line.label(), xs, ys).setMarker(SeriesMarkers.CIRCLE).setYAxisGroup(group);
            if (group == 1) {
                chart.setYAxisGroupTitle(1, unit);
                chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
            }
        }
        chart.getStyler().setXAxisLogarithmic(minX > 0 && maxX / minX >= 50);
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}

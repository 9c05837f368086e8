package run.creativeai.benchmarks.report;

import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** A benchmark's CSV drawn as a small PNG line chart (XChart), one line per series and y column. */
public final class Plots {
    private static final int WIDTH = 860;
    private static final int HEIGHT = 380;

    private Plots() {
    }

    public static void write(String title, Csv csv, Path png) throws IOException {
        String y = csv.yNames().size() == 1 ? csv.yNames().get(0) : "";
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(csv.xName())
                .yAxisTitle(y).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE)
                .setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f))
                .setMarkerSize(4).setAntiAlias(true);
        for (Csv.Line line : csv.lines()) {
            double[] xs = line.points().stream().mapToDouble(p -> p[0]).toArray();
            double[] ys = line.points().stream().mapToDouble(p -> p[1]).toArray();
            chart.addSeries(line.label(), xs, ys).setMarker(SeriesMarkers.CIRCLE);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}

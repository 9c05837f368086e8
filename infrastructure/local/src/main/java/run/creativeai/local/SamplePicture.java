package run.creativeai.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import run.creativeai.local.services.SampleMedia;

/**
 * {@code GET /_local/sample.png}: a real PNG to try uploads with (a lighthouse at dawn, 512 x 512),
 * drawn once with the JDK's own imaging, so the walkthrough needs no picture of its own.
 */
final class SamplePicture implements HttpHandler {
    static final String PATH = "/_local/sample.png";
    private final byte[] png = draw();

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, png.length);
            exchange.getResponseBody().write(png);
        }
    }

    static byte[] draw() {
        BufferedImage image = new BufferedImage(512, 512, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(0x2b, 0x3a, 0x67), 0, 340, new Color(0xf6, 0xa5, 0x6b)));
        g.fillRect(0, 0, 512, 340);
        g.setColor(new Color(0xff, 0xe0, 0x8a));
        g.fillOval(330, 250, 110, 110);
        g.setColor(new Color(0x1d, 0x4e, 0x6e));
        g.fillRect(0, 340, 512, 172);
        g.setColor(new Color(0x3d, 0x3d, 0x3d));
        g.fillPolygon(new int[] {60, 240, 230, 70}, new int[] {512, 512, 420, 420}, 4);
        g.setColor(Color.WHITE);
        g.fillPolygon(new int[] {125, 175, 165, 135}, new int[] {420, 420, 200, 200}, 4);
        g.setColor(new Color(0xc0, 0x39, 0x2b));
        g.fillRect(128, 300, 44, 28);
        g.fillRect(133, 230, 34, 24);
        g.setColor(new Color(0xff, 0xf3, 0xb0));
        g.fillRect(135, 175, 30, 25);
        g.setColor(new Color(0x3d, 0x3d, 0x3d));
        g.fillPolygon(new int[] {128, 172, 150}, new int[] {175, 175, 150}, 3);
        g.dispose();
        return SampleMedia.pngBytes(image);
    }
}

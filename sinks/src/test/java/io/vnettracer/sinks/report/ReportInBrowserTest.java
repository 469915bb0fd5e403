package io.vnettracer.sinks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a browser shows it: headless chromium builds it without a console message, and a
 * screenshot has the charts' colors where the charts are. The screenshot stays in
 * target/report-browser/ for a person to look at.
 */
class ReportInBrowserTest {
    private static final Path SCREENSHOT = Path.of("target", "report-browser", "report-1280x2400.png");

    @TempDir
    Path dir;
    private HeadlessChromium chromium;

    @BeforeEach
    void needsChromium() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.installed(),
                "Debian's chromium is not installed at " + HeadlessChromium.BINARY + " (scripts/setup installs it)");
        chromium = new HeadlessChromium(Files.createDirectory(dir.resolve("profile")));
    }

    private Path report() throws Exception {
        Path demo = ReportFixtures.copyTo(Files.createDirectory(dir.resolve("demo")));
        Path page = demo.resolve(DemoReport.FILE);
        DemoReport.load(demo).write(page);
        return page;
    }

    @Test
    void theBrowserBuildsThePageWithoutAConsoleMessage() throws Exception {
        HeadlessChromium.Run run = chromium.dumpDom(report());
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(List.of(), run.consoleLines(), "console messages (script errors, blocked loads)");
        String dom = run.stdout();
        assertTrue(dom.contains("<title>vNetTracer demo report</title>"), dom);
        assertEquals(4, dom.split("<svg class=\"chart ", -1).length - 1, "two charts for each of two studies");
        assertTrue(dom.contains("SKB_DROP_REASON_QDISC_DROP"), "the drops table");
    }

    /** Without this, an empty console list above could mean the messages are not where we look. */
    @Test
    void consoleMessagesWouldBeSeen() throws Exception {
        Path page = dir.resolve("broken.html");
        Files.writeString(page, "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" "
                + "content=\"default-src 'none'\"><title>broken</title></head><body><img src=\"missing.png\">"
                + "</body></html>");
        HeadlessChromium.Run run = chromium.dumpDom(page);
        assertEquals(1, run.consoleLines().size(), run.stderr());
        assertTrue(run.consoleLines().getFirst().contains("violates the following Content Security Policy"),
                run.consoleLines().getFirst());
    }

    @Test
    void theScreenshotShowsTheChartsInTheirColors() throws Exception {
        Files.createDirectories(SCREENSHOT.getParent());
        Files.deleteIfExists(SCREENSHOT);
        HeadlessChromium.Run run = chromium.screenshot(report(), SCREENSHOT.toAbsolutePath(), 1280, 2400);
        assertEquals(0, run.exitCode(), run.stderr());
        BufferedImage image = ImageIO.read(SCREENSHOT.toFile());
        assertEquals(1280, image.getWidth());
        assertEquals(2400, image.getHeight());
        // The first study's bars: 24 latency bars in the two tools' colors, five segments in theirs.
        assertTrue(pixels(image, Palette.SOCKPERF) > 5_000, "sockperf's bars");
        assertTrue(pixels(image, Palette.TRACER) > 5_000, "vNetTracer's bars");
        for (String segment : Palette.SEGMENT_COLORS.subList(0, 5)) {
            assertTrue(pixels(image, segment) > 200, "segment color " + segment);
        }
        // The switch's segment takes most of cases II and III: the largest area of any segment.
        long switchPixels = pixels(image, Palette.SEGMENT_COLORS.get(2));
        for (String other : List.of(0, 1, 3, 4).stream().map(Palette.SEGMENT_COLORS::get).toList()) {
            assertTrue(switchPixels > pixels(image, other), "sw_in → sw_out dominates, not " + other);
        }
    }

    /** Pixels within 3 of the color in each channel (font smoothing and rounding aside, bars are flat). */
    private static long pixels(BufferedImage image, String hex) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        int r = rgb >> 16 & 0xff;
        int g = rgb >> 8 & 0xff;
        int b = rgb & 0xff;
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                if (Math.abs((p >> 16 & 0xff) - r) <= 3 && Math.abs((p >> 8 & 0xff) - g) <= 3
                        && Math.abs((p & 0xff) - b) <= 3) {
                    n++;
                }
            }
        }
        return n;
    }
}

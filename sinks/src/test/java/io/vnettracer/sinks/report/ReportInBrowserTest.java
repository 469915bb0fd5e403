package io.vnettracer.sinks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
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
    /** The whole page, every chart of both studies, for a person to look at. */
    private static final Path FULL_PAGE = Path.of("target", "report-browser", "report-1280-full.png");
    private static final int FULL_PAGE_HEIGHT = 9_000;

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
        // Per study: percentiles, CDF, shares, absolute decomposition, and a timeline panel per case.
        Map<String, Integer> expected = Map.of("latency-chart", 2, "cdf-chart", 2, "decomposition-chart", 2,
                "segment-time-chart", 2, "timeline-chart", 5);
        assertEquals(expected.values().stream().mapToInt(Integer::intValue).sum(),
                dom.split("<svg class=\"chart ", -1).length - 1, "every chart");
        expected.forEach((kind, count) -> {
            List<String> charts = charts(dom, kind);
            assertEquals(count, charts.size(), kind);
            for (String chart : charts) {
                // Drawn: the browser parsed shapes in it, each with its size or its points.
                assertTrue(drawnShapes(chart) > 0, kind + " has nothing drawn: " + chart.substring(0, 300));
            }
        });
        assertTrue(dom.contains("SKB_DROP_REASON_QDISC_DROP"), "the drops table");
        assertTrue(dom.contains("<h3>Diagnosis</h3>") && dom.contains("<table class=\"spread-table\">"),
                "the diagnosis and the spread over runs");
    }

    private static List<String> charts(String dom, String kind) {
        List<String> out = new ArrayList<>();
        String open = "<svg class=\"chart " + kind + "\"";
        for (int i = dom.indexOf(open); i >= 0; i = dom.indexOf(open, i + 1)) {
            out.add(dom.substring(i, dom.indexOf("</svg>", i)));
        }
        return out;
    }

    /** Bars of a positive size, and curves or dots of at least one point. */
    private static long drawnShapes(String chart) {
        long bars = Pattern.compile("<rect [^>]*width=\"(?!0\")[\\d.]+\" height=\"(?!0\")[\\d.]+\" fill=")
                .matcher(chart).results().count();
        long paths = Pattern.compile("<path class=\"(curve|dots)[^\"]*\" stroke=\"#[0-9a-f]{6}\" data-points=\"[1-9]")
                .matcher(chart).results().count();
        return bars + paths;
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

    /**
     * The whole page in one image (kept for a person to look at): the cases' curves and dots are
     * there in each case's color, the tracer's dashed curves included.
     */
    @Test
    void theFullPageShowsTheCurvesAndDotsOfEveryCase() throws Exception {
        Files.createDirectories(FULL_PAGE.getParent());
        Files.deleteIfExists(FULL_PAGE);
        HeadlessChromium.Run run = chromium.screenshot(report(), FULL_PAGE.toAbsolutePath(), 1280, FULL_PAGE_HEIGHT);
        assertEquals(0, run.exitCode(), run.stderr());
        BufferedImage image = ImageIO.read(FULL_PAGE.toFile());
        for (int c = 0; c < 3; c++) {
            assertTrue(pixels(image, Palette.caseColor(c)) > 2_000, "case " + c + "'s color " + Palette.caseColor(c));
        }
        // The page ends above the image's bottom: nothing is cut off.
        assertEquals(0, pixels(image.getSubimage(0, FULL_PAGE_HEIGHT - 200, 1280, 200), Palette.caseColor(0)),
                "the page is longer than " + FULL_PAGE_HEIGHT + " px");
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

// Polygons thinned to the output's detail (render/src/canvas.h, MapFrame::detail_mm): fewer
// path elements, the same pixels within what moving an outline by the detail can change, and
// a ring below the detail still drawn.

#include "canvas.h"
#include "landel/geometry/ops.h"

#include <gtest/gtest.h>

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace landel::render::detail {
namespace {

constexpr double dpi = 300.0;
constexpr double px_per_mm = dpi / 25.4;
constexpr double quarter_pixel_mm = 0.25 / px_per_mm;
const double pi = std::acos(-1.0);

/// The WKB of a circle of @p n vertices around (@p cx, @p cy) (map metres).
std::string circle_wkb(double cx, double cy, double r, int n)
{
    std::string wkt = "POLYGON((";
    for (int i = 0; i <= n; ++i) {
        const double a = 2 * pi * (i % n) / n;
        char xy[64];
        std::snprintf(
          xy, sizeof xy, "%s%.9f %.9f", i ? "," : "", cx + r * std::cos(a), cy + r * std::sin(a));
        wkt += xy;
    }
    wkt += "))";
    geometry::GeosContext ctx;
    return geometry::to_wkb(ctx, geometry::from_wkt(ctx, wkt).get());
}

struct Drawing
{
    /// Line-to elements of the path drawn (cairo itself merges steps in one direction).
    int lines = 0;
    std::vector<double> coverage; ///< per pixel, 0 (white) to 1 (black)
};

/// Draws @p wkb in black on white at 300 dpi, 20 x 20 mm, with the map's metres as page
/// millimetres (a 20 m extent in a frame of 20 / 0.96 mm) and the given detail; with a stroke
/// @p stroke_mm wide (0: fill only), as the maps outline elements.
Drawing draw(const std::string& wkb, double detail_mm, double stroke_mm = 0)
{
    const int side = int(std::lround(20 * px_per_mm));
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side), cairo_surface_destroy);
    std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr(cairo_create(surface.get()),
                                                          cairo_destroy);
    cairo_set_source_rgb(cr.get(), 1, 1, 1);
    cairo_paint(cr.get());
    cairo_scale(cr.get(), px_per_mm, px_per_mm);
    const MapFrame frame(0, 0, 20 / 0.96, 20 / 0.96, { 0, 0, 20, 20 }, detail_mm);
    EXPECT_DOUBLE_EQ(frame.mm_per_m, 1.0);
    cairo_set_fill_rule(cr.get(), CAIRO_FILL_RULE_EVEN_ODD);
    add_polygons(cr.get(), frame, wkb);

    Drawing d;
    cairo_path_t* path = cairo_copy_path(cr.get());
    for (int i = 0; i < path->num_data; i += path->data[i].header.length)
        if (path->data[i].header.type == CAIRO_PATH_LINE_TO)
            ++d.lines;
    cairo_path_destroy(path);

    cairo_set_source_rgb(cr.get(), 0, 0, 0);
    cairo_fill_preserve(cr.get());
    cairo_set_line_width(cr.get(), stroke_mm);
    if (stroke_mm > 0)
        cairo_stroke(cr.get());
    cairo_new_path(cr.get());
    cairo_surface_flush(surface.get());
    const unsigned char* data = cairo_image_surface_get_data(surface.get());
    const int stride = cairo_image_surface_get_stride(surface.get());
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x) {
            const auto* px = reinterpret_cast<const std::uint32_t*>(data + y * stride) + x;
            d.coverage.push_back(1.0 - double(*px & 0xff) / 255.0);
        }
    return d;
}

TEST(RingThinning, DenseCircleDrawsFewerVerticesAndTheSamePixels)
{
    // 4000 vertices on a circle of 6 mm radius: 0.0094 mm apart, under half the detail.
    const double r = 6.0;
    const std::string wkb = circle_wkb(10, 10, r, 4000);
    const Drawing full = draw(wkb, 0.0);
    const Drawing thinned = draw(wkb, quarter_pixel_mm);
    // Douglas-Peucker keeps a chord whose sagitta r (1 - cos(a / 2)) is at most the detail:
    // between one and two chords per the widest such chord's angle.
    const double max_angle = 2 * std::acos(1 - quarter_pixel_mm / r);
    EXPECT_LE(thinned.lines, 2 * int(std::ceil(2 * pi / max_angle)) + 2);
    EXPECT_GE(thinned.lines, int(2 * pi / max_angle));
    EXPECT_GT(full.lines, 10 * thinned.lines);

    // The outline moves by at most a quarter pixel: a pixel crossed by it (at most sqrt 2
    // pixels of outline) gains or loses at most sqrt(2) / 4 of its area, plus one row of
    // pixman's 15 x 17 antialiasing samples flipping with the edge.
    const double per_pixel = std::sqrt(2.0) * 0.25 + 1.0 / 15;
    double worst = 0, total_full = 0, total_thinned = 0;
    for (std::size_t i = 0; i < full.coverage.size(); ++i) {
        worst = std::max(worst, std::abs(full.coverage[i] - thinned.coverage[i]));
        total_full += full.coverage[i];
        total_thinned += thinned.coverage[i];
    }
    EXPECT_LE(worst, per_pixel);
    // In all, the area between the two outlines: at most the perimeter times the detail
    // (in pixels), plus the sampling's rounding along the perimeter.
    const double perimeter_px = 2 * pi * r * px_per_mm;
    EXPECT_LE(std::abs(total_full - total_thinned), perimeter_px * (0.25 + 1.0 / 15));
    EXPECT_NEAR(total_full, pi * r * r * px_per_mm * px_per_mm, perimeter_px / 15);
}

TEST(RingThinning, RingBelowTheDetailIsDrawnAsItsBounds)
{
    // A circle of 0.006 mm radius, 32 vertices: smaller than a quarter pixel (0.021 mm).
    const std::string wkb = circle_wkb(10, 10, 0.006, 32);
    const Drawing full = draw(wkb, 0.0, 0.08);
    const Drawing thinned = draw(wkb, quarter_pixel_mm, 0.08);
    EXPECT_EQ(thinned.lines, 3); // the rectangle of its bounds
    EXPECT_GT(full.lines, 3);
    const double darkest = *std::max_element(thinned.coverage.begin(), thinned.coverage.end());
    // Its outline, 0.08 mm wide and about as long around, covers most of a 0.085 mm pixel.
    EXPECT_GT(darkest, 0.25);
    const double darkest_full = *std::max_element(full.coverage.begin(), full.coverage.end());
    EXPECT_NEAR(darkest, darkest_full, std::sqrt(2.0) * 0.25 + 1.0 / 15);
}

} // namespace
} // namespace landel::render::detail

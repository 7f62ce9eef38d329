#include "canvas.h"

#include "landel/geometry/ops.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace landel::render::detail {

MapFrame::MapFrame(double x, double y, double w, double h, const Box& data_extent, double detail)
  : x_mm(x)
  , y_mm(y)
  , w_mm(w)
  , h_mm(h)
  , extent(data_extent)
  , detail_mm(detail)
{
    const double dx = std::max(extent.xmax - extent.xmin, 1e-9);
    const double dy = std::max(extent.ymax - extent.ymin, 1e-9);
    mm_per_m = std::min(w / dx, h / dy) * 0.96; // a small margin inside the frame
}

void set_colour(cairo_t* cr, const palette::Rgb& c, double alpha)
{
    cairo_set_source_rgba(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0, alpha);
}

namespace {

struct PagePoint
{
    double x = 0, y = 0; ///< page millimetres
};

/// The rectangle of @p b as a ring of four page points.
std::vector<PagePoint> rectangle(const Box& b)
{
    return { { b.xmin, b.ymin }, { b.xmax, b.ymin }, { b.xmax, b.ymax }, { b.xmin, b.ymax } };
}

/// The squared distance from @p p to the segment @p a - @p b.
double squared_distance(const PagePoint& p, const PagePoint& a, const PagePoint& b)
{
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double length_sq = dx * dx + dy * dy;
    double t = 0;
    if (length_sq > 0)
        t = std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / length_sq, 0.0, 1.0);
    const double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
    return ex * ex + ey * ey;
}

/// Thins a closed ring of page points (first = last) to what the output can show: the
/// Douglas-Peucker line simplification, which leaves out the vertices that lie within
/// @p detail_mm of the outline drawn without them, so the outline moves by at most
/// @p detail_mm. A ring smaller than that in both directions becomes the rectangle of its
/// @p bounds: still drawn, as the speck it is at this size, not dropped.
///
/// Why: the maps are drawn at a fixed scale, where the elements carry a vertex every few
/// decimetres (a buffered tree's circle has 64 within a millimetre on the page); vertices that
/// move the outline by less than a fraction of a pixel add nothing to the picture, only path
/// elements for cairo to stroke and PDF bytes to print and deflate.
void thin_ring(std::vector<PagePoint>& ring, const Box& bounds, double detail_mm)
{
    if (detail_mm <= 0 || ring.size() < 4)
        return;
    if (bounds.width() < detail_mm && bounds.height() < detail_mm) {
        ring = rectangle(bounds);
        return;
    }
    // The first vertex and the one farthest from it split the ring into two open lines.
    const std::size_t last = ring.size() - 1;
    std::size_t far = 0;
    double far_sq = -1;
    for (std::size_t i = 1; i < last; ++i) {
        const double d = squared_distance(ring[i], ring[0], ring[0]);
        if (d > far_sq)
            far_sq = d, far = i;
    }
    std::vector<char> keep(ring.size(), 0);
    keep[0] = keep[far] = keep[last] = 1;
    std::vector<std::pair<std::size_t, std::size_t>> spans{ { 0, far }, { far, last } };
    const double detail_sq = detail_mm * detail_mm;
    while (!spans.empty()) {
        const auto [a, b] = spans.back();
        spans.pop_back();
        std::size_t worst = a;
        double worst_sq = detail_sq;
        for (std::size_t i = a + 1; i < b; ++i) {
            const double d = squared_distance(ring[i], ring[a], ring[b]);
            if (d > worst_sq)
                worst_sq = d, worst = i;
        }
        if (worst == a)
            continue; // every vertex between a and b lies within the detail of a - b
        keep[worst] = 1;
        spans.push_back({ a, worst });
        spans.push_back({ worst, b });
    }
    // A sliver thinner than the detail keeps its two ends only: drawn as the line it is at
    // this size (its outline's stroke), not as its bounds, which may be a large square.
    std::size_t kept = 0;
    for (std::size_t i = 0; i <= last; ++i)
        if (keep[i])
            ring[kept++] = ring[i];
    ring.resize(kept);
}

/// Adds one ring to the current path, thinned to the frame's detail; @p buffer is reused
/// between rings.
void add_ring(cairo_t* cr,
              const MapFrame& f,
              const geometry::GeosContext& ctx,
              const GEOSGeometry* ring,
              std::vector<double>& buffer,
              std::vector<PagePoint>& points)
{
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx.handle(), ring);
    unsigned int n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(ctx.handle(), seq, &n) || n < 3)
        return;
    buffer.resize(2 * std::size_t(n));
    if (!GEOSCoordSeq_copyToBuffer_r(ctx.handle(), seq, buffer.data(), 0, 0))
        return;
    points.resize(n);
    Box bounds;
    for (unsigned int i = 0; i < n; ++i) {
        const PagePoint p{ f.px(buffer[2 * i]), f.py(buffer[2 * i + 1]) };
        points[i] = p;
        bounds.expand({ p.x, p.y, p.x, p.y });
    }
    thin_ring(points, bounds, f.detail_mm);
    cairo_move_to(cr, points[0].x, points[0].y);
    for (std::size_t i = 1; i < points.size(); ++i)
        cairo_line_to(cr, points[i].x, points[i].y);
    cairo_close_path(cr);
}

} // namespace

void add_polygons(cairo_t* cr, const MapFrame& frame, const std::string& wkb)
{
    if (wkb.empty())
        return;
    geometry::GeosContext ctx;
    const geometry::GeomPtr g = geometry::from_wkb(ctx, wkb);
    std::vector<const GEOSGeometry*> parts;
    geometry::collect_parts(ctx, g.get(), parts);
    std::vector<double> buffer;
    std::vector<PagePoint> points;
    for (const GEOSGeometry* p : parts) {
        if (GEOSGeomTypeId_r(ctx.handle(), p) != GEOS_POLYGON)
            continue;
        add_ring(cr, frame, ctx, GEOSGetExteriorRing_r(ctx.handle(), p), buffer, points);
        const int holes = GEOSGetNumInteriorRings_r(ctx.handle(), p);
        for (int h = 0; h < holes; ++h)
            add_ring(cr, frame, ctx, GEOSGetInteriorRingN_r(ctx.handle(), p, h), buffer, points);
    }
}

Box wkb_envelope(const std::string& wkb)
{
    if (wkb.empty())
        return {};
    geometry::GeosContext ctx;
    return geometry::envelope(ctx, geometry::from_wkb(ctx, wkb).get());
}

void text(cairo_t* cr,
          double x,
          double y,
          const std::string& s,
          double size_mm,
          bool bold,
          Align align)
{
    cairo_select_font_face(cr,
                           "DejaVu Sans",
                           CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size_mm);
    cairo_text_extents_t e;
    cairo_text_extents(cr, s.c_str(), &e);
    const double dx = align == Align::Left     ? 0.0
                      : align == Align::Centre ? -e.x_advance / 2
                                               : -e.x_advance;
    cairo_move_to(cr, x + dx, y);
    cairo_show_text(cr, s.c_str());
}

void north_arrow(cairo_t* cr, double x, double y, double h_mm)
{
    const double w = h_mm * 0.45;
    cairo_set_line_width(cr, 0.25);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x - w / 2, y + h_mm);
    cairo_line_to(cr, x, y + h_mm * 0.75);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    cairo_fill(cr);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x + w / 2, y + h_mm);
    cairo_line_to(cr, x, y + h_mm * 0.75);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    cairo_stroke(cr);
    text(cr, x, y + h_mm + 4.0, "N", 3.5, true, Align::Centre);
}

void scale_bar(cairo_t* cr, const MapFrame& frame, double x, double y, double target_mm)
{
    // A round length (1, 2 or 5 x 10^k m) close to the target length on the page.
    const double target_m = target_mm / frame.mm_per_m;
    const double magnitude = std::pow(10.0, std::floor(std::log10(target_m)));
    double length_m = magnitude;
    for (double f : { 1.0, 2.0, 5.0, 10.0 })
        if (f * magnitude <= target_m)
            length_m = f * magnitude;
    const double w = length_m * frame.mm_per_m;
    const double h = 1.5;
    for (int k = 0; k < 4; ++k) {
        cairo_rectangle(cr, x + k * w / 4, y, w / 4, h);
        if (k % 2 == 0)
            cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
        else
            cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
        cairo_set_line_width(cr, 0.2);
        cairo_stroke(cr);
    }
    char label[64];
    if (length_m >= 1000)
        std::snprintf(label, sizeof label, "%g km", length_m / 1000);
    else
        std::snprintf(label, sizeof label, "%g m", length_m);
    text(cr, x, y + h + 3.2, "0", 2.6, false, Align::Centre);
    text(cr, x + w, y + h + 3.2, label, 2.6, false, Align::Centre);
}

} // namespace landel::render::detail

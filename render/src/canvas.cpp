#include "canvas.h"

#include "landel/geometry/ops.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace landel::render::detail {

MapFrame::MapFrame(double x, double y, double w, double h, const Box& data_extent)
  : x_mm(x)
  , y_mm(y)
  , w_mm(w)
  , h_mm(h)
  , extent(data_extent)
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

void add_ring(cairo_t* cr,
              const MapFrame& f,
              const geometry::GeosContext& ctx,
              const GEOSGeometry* ring)
{
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx.handle(), ring);
    unsigned int n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(ctx.handle(), seq, &n) || n < 3)
        return;
    for (unsigned int i = 0; i < n; ++i) {
        double x = 0, y = 0;
        GEOSCoordSeq_getXY_r(ctx.handle(), seq, i, &x, &y);
        if (i == 0)
            cairo_move_to(cr, f.px(x), f.py(y));
        else
            cairo_line_to(cr, f.px(x), f.py(y));
    }
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
    for (const GEOSGeometry* p : parts) {
        if (GEOSGeomTypeId_r(ctx.handle(), p) != GEOS_POLYGON)
            continue;
        add_ring(cr, frame, ctx, GEOSGetExteriorRing_r(ctx.handle(), p));
        const int holes = GEOSGetNumInteriorRings_r(ctx.handle(), p);
        for (int h = 0; h < holes; ++h)
            add_ring(cr, frame, ctx, GEOSGetInteriorRingN_r(ctx.handle(), p, h));
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

#include "landel/render/maps.h"

#include "canvas.h"
#include "landel/core/error.h"
#include "landel/geometry/ops.h"
#include "png_encoding.h"

#include <cairo-pdf.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>

namespace landel::render {

using namespace detail;

namespace {

constexpr double margin = 10.0;
constexpr double column = 72.0; ///< the right-hand column for legend, figures, scale

const palette::Rgb ink{ 40, 40, 40 };
const palette::Rgb faint{ 150, 150, 150 };

palette::Rgb share_colour(const MapDocument& doc, const std::optional<double>& share)
{
    if (!share || doc.classes.empty())
        return palette::no_share;
    return doc.classes[class_index(doc.classes, *share)].colour;
}

/// An area's value as its overview label prints it: "6.8 %", "+0.35 pp", "no rural land".
std::string value_label(const MapWording& w, const std::optional<double>& value)
{
    if (!value)
        return w.no_value;
    char number[48];
    std::snprintf(
      number, sizeof number, w.value_signed ? "%+.*f" : "%.*f", w.value_decimals, *value);
    return number + w.value_unit;
}

Box document_extent(const MapDocument& doc)
{
    Box b = wkb_envelope(doc.study_area_wkb);
    for (const MapArea& a : doc.areas)
        b.expand(wkb_envelope(a.wkb));
    return b;
}

void page_background(cairo_t* cr, const Page& page)
{
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, 0, 0, page.width_mm, page.height_mm);
    cairo_fill(cr);
}

void frame_border(cairo_t* cr, const MapFrame& f)
{
    cairo_rectangle(cr, f.x_mm, f.y_mm, f.w_mm, f.h_mm);
    set_colour(cr, faint);
    cairo_set_line_width(cr, 0.3);
    cairo_stroke(cr);
}

void footer(cairo_t* cr, const MapDocument& doc, const Page& page)
{
    set_colour(cr, { 90, 90, 90 });
    text(cr,
         margin,
         page.height_mm - 5.0,
         (doc.generator.empty() ? std::string("landel") : doc.generator) + " · " + doc.date +
           " · " + doc.crs,
         2.2);
}

void sources(cairo_t* cr, const MapDocument& doc, double x, double y, double bottom)
{
    set_colour(cr, ink);
    text(cr, x, y, doc.wording.data_heading, 2.8, true);
    y += 4.0;
    set_colour(cr, { 90, 90, 90 });
    for (const std::string& s : doc.sources) {
        if (y > bottom)
            break;
        std::string line = s.size() > 44 ? s.substr(0, 41) + "..." : s;
        text(cr, x, y, line, 2.2);
        y += 3.2;
    }
}

/// @p s in lines of at most about @p width_mm (words kept whole; DejaVu Sans averages about
/// 0.6 of its height per character), the first baseline at @p y. Returns the last baseline.
double wrapped_text(cairo_t* cr,
                    double x,
                    double y,
                    const std::string& s,
                    double size_mm,
                    double width_mm)
{
    const std::size_t per_line = std::size_t(width_mm / (0.6 * size_mm));
    std::string line, word;
    auto flush = [&]() {
        if (line.empty())
            return;
        text(cr, x, y, line, size_mm);
        y += 1.45 * size_mm;
        line.clear();
    };
    for (std::size_t i = 0; i <= s.size(); ++i) {
        if (i < s.size() && s[i] != ' ') {
            word += s[i];
            continue;
        }
        if (!line.empty() && line.size() + 1 + word.size() > per_line)
            flush();
        line += (line.empty() ? "" : " ") + word;
        word.clear();
    }
    flush();
    return y - 1.45 * size_mm;
}

constexpr double legend_top = 33.0; ///< the baseline of the legend column's heading (mm)

/// Starts the right-hand column beside a map frame with its heading; returns its left edge.
double legend_column(cairo_t* cr, const Page& page, const char* heading)
{
    const double x = page.width_mm - margin - column;
    set_colour(cr, ink);
    text(cr, x, legend_top, heading, 3.2, true);
    return x;
}

/// Fills the polygons of @p wkb in @p fill and strokes their outlines @p width_mm wide in @p line,
/// both with opacity @p alpha.
void draw_polygons(cairo_t* cr,
                   const MapFrame& frame,
                   const std::string& wkb,
                   const palette::Rgb& fill,
                   const palette::Rgb& line,
                   double width_mm,
                   double alpha = 1.0)
{
    cairo_new_path(cr);
    add_polygons(cr, frame, wkb);
    set_colour(cr, fill, alpha);
    cairo_fill_preserve(cr);
    set_colour(cr, line, alpha);
    cairo_set_line_width(cr, width_mm);
    // Round joins: at the sharp tip of a sliver a mitre juts out up to five line widths, and
    // whether it does flips with a degree of the tip's angle (thinning the outline to the
    // output's detail, MapFrame::detail_mm, moves tips across that limit).
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
}

void swatch(cairo_t* cr, double x, double y, const palette::Rgb& c)
{
    cairo_rectangle(cr, x, y - 3.0, 6.0, 3.6);
    set_colour(cr, c);
    cairo_fill_preserve(cr);
    set_colour(cr, ink);
    cairo_set_line_width(cr, 0.15);
    cairo_stroke(cr);
}

/// @p detail_mm: the finest detail the output shows (MapFrame::detail_mm).
void draw_overview(cairo_t* cr, const MapDocument& doc, const Page& page, double detail_mm)
{
    page_background(cr, page);
    set_colour(cr, ink);
    text(cr, margin, 17.0, doc.title + ": " + doc.wording.overview_heading, 6.0, true);
    text(cr, margin, 24.0, doc.wording.overview_subtitle, 3.2);
    const MapFrame frame(margin,
                         29.0,
                         page.width_mm - 3 * margin - column,
                         page.height_mm - 29.0 - 14.0,
                         document_extent(doc),
                         detail_mm);
    cairo_save(cr);
    cairo_rectangle(cr, frame.x_mm, frame.y_mm, frame.w_mm, frame.h_mm);
    cairo_clip(cr);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    for (const MapArea& a : doc.areas)
        draw_polygons(cr, frame, a.wkb, share_colour(doc, a.share_pct), { 70, 70, 70 }, 0.2);
    cairo_new_path(cr);
    add_polygons(cr, frame, doc.study_area_wkb);
    set_colour(cr, ink);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
    // Labels where an area is large enough on the page to carry one.
    geometry::GeosContext ctx;
    for (const MapArea& a : doc.areas) {
        const Box b = wkb_envelope(a.wkb);
        if ((b.xmax - b.xmin) * frame.mm_per_m < 14.0 || (b.ymax - b.ymin) * frame.mm_per_m < 7.0)
            continue;
        const geometry::GeomPtr g = geometry::from_wkb(ctx, a.wkb);
        const geometry::GeomPtr p =
          ctx.own(GEOSPointOnSurface_r(ctx.handle(), g.get()), "label point");
        double x = 0, y = 0;
        GEOSGeomGetX_r(ctx.handle(), p.get(), &x);
        GEOSGeomGetY_r(ctx.handle(), p.get(), &y);
        set_colour(cr, ink);
        text(cr,
             frame.px(x),
             frame.py(y) - 0.6,
             a.name.empty() ? a.id : a.name,
             2.4,
             true,
             Align::Centre);
        text(cr,
             frame.px(x),
             frame.py(y) + 2.6,
             value_label(doc.wording, a.share_pct),
             2.2,
             false,
             Align::Centre);
    }
    cairo_restore(cr);
    frame_border(cr, frame);

    const double x = legend_column(cr, page, doc.wording.legend_heading.c_str());
    double y = legend_top + 6.0;
    for (const ShareClass& c : doc.classes) {
        swatch(cr, x, y, c.colour);
        set_colour(cr, ink);
        text(cr, x + 8.0, y, c.label, 2.6);
        y += 5.5;
    }
    swatch(cr, x, y, palette::no_share);
    set_colour(cr, ink);
    text(cr, x + 8.0, y, doc.wording.no_value, 2.6);
    y += 6.0;
    if (!doc.denominator.empty()) {
        set_colour(cr, { 90, 90, 90 });
        y = wrapped_text(cr, x, y, doc.wording.denominator_prefix + doc.denominator, 2.2, column) +
            2.0;
    }
    y += 4.0;
    north_arrow(cr, x + 6.0, y, 10.0);
    scale_bar(cr, frame, x + 20.0, y + 6.0, 40.0);
    sources(cr, doc, x, y + 24.0, page.height_mm - 14.0);
    footer(cr, doc, page);
}

/// The legend of an area page from baseline @p y: the element types @p present, then the fixed
/// layers. Returns the baseline below it.
double area_legend(cairo_t* cr,
                   const MapDocument& doc,
                   const std::vector<std::size_t>& present,
                   double x,
                   double y)
{
    set_colour(cr, ink);
    text(cr, x, y, doc.wording.types_heading, 3.2, true);
    y += 6.0;
    if (present.empty()) {
        text(cr, x, y, doc.wording.no_elements, 2.6);
        y += 5.5;
    }
    for (std::size_t t : present) {
        const palette::Rgb c = palette::type_colour(doc.types[t], t);
        // A light element is shown light in its swatch: blended with the page's white.
        const auto light = [&](int v) {
            return int(std::lround(255.0 - (255.0 - v) * doc.element_alpha));
        };
        swatch(cr, x, y, { light(c.r), light(c.g), light(c.b) });
        set_colour(cr, ink);
        text(cr, x + 8.0, y, t < doc.type_labels.size() ? doc.type_labels[t] : doc.types[t], 2.6);
        y += 5.0;
    }
    if (doc.layers.empty())
        return y;
    y += 4.0;
    text(cr, x, y, doc.wording.layers_heading, 3.2, true);
    y += 6.0;
    for (const FixedLayer& l : doc.layers) {
        swatch(cr, x, y, l.colour);
        set_colour(cr, ink);
        text(cr, x + 8.0, y, l.label, 2.6);
        y += 5.0;
    }
    return y;
}

void draw_area(cairo_t* cr,
               const MapDocument& doc,
               std::size_t index,
               const Page& page,
               double detail_mm)
{
    const MapArea& area = doc.areas[index];
    page_background(cr, page);
    set_colour(cr, ink);
    text(cr, margin, 17.0, area.id + (area.name.empty() ? "" : " " + area.name), 6.0, true);
    text(cr, margin, 24.0, doc.title + ": " + doc.wording.area_subtitle, 3.2);
    Box extent = wkb_envelope(area.wkb);
    const double pad = 0.04 * std::max(extent.xmax - extent.xmin, extent.ymax - extent.ymin);
    extent = { extent.xmin - pad, extent.ymin - pad, extent.xmax + pad, extent.ymax + pad };
    const MapFrame frame(margin,
                         29.0,
                         page.width_mm - 3 * margin - column,
                         page.height_mm - 29.0 - 14.0,
                         extent,
                         detail_mm);
    cairo_save(cr);
    cairo_rectangle(cr, frame.x_mm, frame.y_mm, frame.w_mm, frame.h_mm);
    cairo_clip(cr);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    // Neighbours for context, then the area, its elements and its outline.
    for (std::size_t k = 0; k < doc.areas.size(); ++k) {
        if (k != index)
            draw_polygons(cr, frame, doc.areas[k].wkb, { 235, 235, 235 }, { 190, 190, 190 }, 0.2);
    }
    cairo_new_path(cr);
    add_polygons(cr, frame, area.wkb);
    set_colour(cr, { 250, 248, 238 });
    cairo_fill(cr);
    std::vector<std::size_t> present;
    for (std::size_t t = 0; t < area.elements_wkb.size() && t < doc.types.size(); ++t) {
        if (area.elements_wkb[t].empty())
            continue;
        present.push_back(t);
        const palette::Rgb colour = palette::type_colour(doc.types[t], t);
        draw_polygons(cr, frame, area.elements_wkb[t], colour, colour, 0.08, doc.element_alpha);
    }
    // Outlined a little wider than the elements: a strip of a metre or two stays visible.
    for (std::size_t l = std::min(doc.layers.size(), area.layers_wkb.size()); l-- > 0;)
        for (const std::string& wkb : area.layers_wkb[l])
            draw_polygons(cr, frame, wkb, doc.layers[l].colour, doc.layers[l].colour, 0.2);
    cairo_new_path(cr);
    add_polygons(cr, frame, area.wkb);
    set_colour(cr, ink);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
    cairo_restore(cr);
    frame_border(cr, frame);

    const double x = legend_column(cr, page, doc.wording.figures_heading.c_str());
    double y = legend_top + 5.5;
    for (const auto& [label, value] : area.figures) {
        set_colour(cr, { 70, 70, 70 });
        text(cr, x, y, label, 2.5);
        set_colour(cr, ink);
        text(cr, x + column, y, value, 2.5, true, Align::Right);
        y += 4.2;
    }
    y = area_legend(cr, doc, present, x, y + 4.0);
    y = std::max(y + 4.0, page.height_mm - 42.0);
    north_arrow(cr, x + 6.0, y, 10.0);
    scale_bar(cr, frame, x + 20.0, y + 6.0, 40.0);
    footer(cr, doc, page);
}

struct SurfaceDeleter
{
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter
{
    void operator()(cairo_t* c) const { cairo_destroy(c); }
};

void check(cairo_status_t status, const std::filesystem::path& path)
{
    if (status != CAIRO_STATUS_SUCCESS)
        throw Error("cannot write '" + path.string() + "': " + cairo_status_to_string(status));
}

/// The detail a PNG page at @p dpi is drawn to, in millimetres: a quarter of a pixel, below
/// what antialiasing shows (a coverage change of at most a quarter at an edge pixel).
double png_detail_mm(double dpi)
{
    return 0.25 * 25.4 / dpi;
}

/// The detail the PDF pages are drawn to, in millimetres: that of the 300 dpi PNG pages,
/// finer than a 1200 dpi printer's dot (0.021 mm) and than a screen pixel at 1000 % zoom.
constexpr double pdf_detail_mm = 0.02;

/// Draws a page on an image surface at @p dpi (calling @p draw with png_detail_mm) and writes it as
/// PNG to @p path, or into @p bytes when @p path is empty.
template<class Draw>
void png(const std::filesystem::path& path,
         const Page& page,
         double dpi,
         Draw&& draw,
         std::string* bytes = nullptr)
{
    const double px_per_mm = dpi / 25.4;
    std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24,
                                 int(std::lround(page.width_mm * px_per_mm)),
                                 int(std::lround(page.height_mm * px_per_mm))));
    check(cairo_surface_status(surface.get()), path);
    std::unique_ptr<cairo_t, ContextDeleter> cr(cairo_create(surface.get()));
    cairo_scale(cr.get(), px_per_mm, px_per_mm);
    draw(cr.get(), png_detail_mm(dpi));
    check(cairo_status(cr.get()), path);
    if (bytes) {
        *bytes = png_bytes(surface.get());
        return;
    }
    const std::string encoded = png_bytes(surface.get());
    std::ofstream out(path, std::ios::binary);
    out.write(encoded.data(), std::streamsize(encoded.size()));
    out.close();
    if (!out)
        throw Error("cannot write '" + path.string() + "': " + std::strerror(errno));
}

} // namespace

void write_overview_png(const std::filesystem::path& path,
                        const MapDocument& doc,
                        Page page,
                        double dpi)
{
    png(path, page, dpi, [&](cairo_t* cr, double detail) { draw_overview(cr, doc, page, detail); });
}

void write_area_png(const std::filesystem::path& path,
                    const MapDocument& doc,
                    std::size_t index,
                    Page page,
                    double dpi)
{
    png(path, page, dpi, [&](cairo_t* cr, double detail) {
        draw_area(cr, doc, index, page, detail);
    });
}

std::string map_png_bytes(const MapDocument& doc, std::size_t index, Page page, double dpi)
{
    std::string bytes;
    png(
      {},
      page,
      dpi,
      [&](cairo_t* cr, double detail) {
          if (index == overview)
              draw_overview(cr, doc, page, detail);
          else
              draw_area(cr, doc, index, page, detail);
      },
      &bytes);
    return bytes;
}

void write_atlas_pdf(const std::filesystem::path& path,
                     const MapDocument& doc,
                     std::size_t area_pages,
                     Page page)
{
    const double pt_per_mm = 72.0 / 25.4;
    std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(cairo_pdf_surface_create(
      path.string().c_str(), page.width_mm * pt_per_mm, page.height_mm * pt_per_mm));
    check(cairo_surface_status(surface.get()), path);
    cairo_pdf_surface_set_metadata(
      surface.get(), CAIRO_PDF_METADATA_TITLE, (doc.title + " - landel atlas").c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "landel");
    std::unique_ptr<cairo_t, ContextDeleter> cr(cairo_create(surface.get()));
    cairo_scale(cr.get(), pt_per_mm, pt_per_mm);
    draw_overview(cr.get(), doc, page, pdf_detail_mm);
    cairo_show_page(cr.get());
    for (std::size_t k = 0; k < std::min(area_pages, doc.areas.size()); ++k) {
        draw_area(cr.get(), doc, k, page, pdf_detail_mm);
        cairo_show_page(cr.get());
    }
    check(cairo_status(cr.get()), path);
    cr.reset();
    cairo_surface_finish(surface.get());
    check(cairo_surface_status(surface.get()), path);
}

} // namespace landel::render

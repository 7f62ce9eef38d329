#pragma once
// Internal: drawing on a cairo context in page millimetres — text, boxes, and polygons given
// as WKB in map coordinates fitted into a frame.

#include "landel/core/box.h"
#include "landel/core/palette.h"

#include <cairo.h>

#include <string>

namespace landel::render::detail {

/// Map coordinates (metres) to page millimetres: a uniform scale fitting @p extent into the
/// frame, centred, north up.
struct MapFrame
{
    double x_mm = 0, y_mm = 0, w_mm = 0, h_mm = 0; ///< the frame on the page
    Box extent;                                    ///< map extent shown
    double mm_per_m = 0;
    /// The finest detail the output shows, in page millimetres (a fraction of a pixel): the
    /// polygons drawn in the frame leave out vertices closer than this to the one before.
    /// 0: every vertex is drawn.
    double detail_mm = 0;

    MapFrame(double x, double y, double w, double h, const Box& data_extent, double detail = 0);
    double px(double x) const
    {
        return x_mm + w_mm / 2 + (x - (extent.xmin + extent.xmax) / 2) * mm_per_m;
    }
    double py(double y) const
    {
        return y_mm + h_mm / 2 - (y - (extent.ymin + extent.ymax) / 2) * mm_per_m;
    }
};

void set_colour(cairo_t* cr, const palette::Rgb& c, double alpha = 1.0);

/// Adds the rings of a polygonal WKB geometry to the current path (even-odd fill keeps holes),
/// thinned to the frame's detail_mm.
void add_polygons(cairo_t* cr, const MapFrame& frame, const std::string& wkb);

/// The envelope of a WKB geometry (empty Box for none).
Box wkb_envelope(const std::string& wkb);

enum class Align
{
    Left,
    Centre,
    Right
};

/// Text with its baseline at (x, y) mm, @p size_mm high, in DejaVu Sans.
void text(cairo_t* cr,
          double x,
          double y,
          const std::string& s,
          double size_mm,
          bool bold = false,
          Align align = Align::Left);

/// A north arrow with its tip at (x, y), @p h_mm tall.
void north_arrow(cairo_t* cr, double x, double y, double h_mm);

/// A scale bar starting at (x, y) of a round length near @p target_mm on the page.
void scale_bar(cairo_t* cr, const MapFrame& frame, double x, double y, double target_mm);

} // namespace landel::render::detail

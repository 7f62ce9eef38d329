#pragma once
// Internal: an opaque cairo image as PNG bytes, compressed for speed rather than size.

#include <cairo.h>

#include <string>

namespace landel::render::detail {

/// The PNG (8-bit RGB) of an opaque image surface (CAIRO_FORMAT_RGB24, as the map pages are
/// drawn). @throws Error when the surface is of another format or libpng fails.
std::string png_bytes(cairo_surface_t* image);

} // namespace landel::render::detail

#pragma once
/// @file raster_layers.h
/// Categorical rasters as the engine sees them: a grid in the run CRS and a way to read
/// windows of class codes. The engine never opens files; the caller (io, through the
/// pipeline) supplies readers, one per worker thread, because a file handle is not
/// thread-safe.

#include "landel/core/grid.h"
#include "landel/core/raster.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace landel::analysis {

/// Reads windows of one categorical raster.
class ClassReader
{
public:
    virtual ~ClassReader() = default;
    /// The class codes of @p window, a grid on the source's lattice (same cell size, edges
    /// aligned) that may reach beyond the source's extent: cells outside are invalid, as are
    /// the source's nodata cells.
    virtual Raster<std::int32_t> read(const Grid& window) = 0;
};

/// Makes a new reader; called once per worker thread.
using ClassReaderFactory = std::function<std::unique_ptr<ClassReader>()>;

/// What every raster input has.
struct RasterLayer
{
    std::string label;          ///< names the source in messages
    Grid grid;                  ///< its cells in the run CRS
    std::size_t block_rows = 1; ///< the file's natural block size, to align reads with
    std::size_t block_cols = 1;
    ClassReaderFactory open;
    /// Layers with the same non-empty key read the same cells (one file used as a mask and
    /// as an element source, say): each chunk reads it once.
    std::string dataset_key;
};

/// A raster `[[elements]]` source: cells of the listed classes are elements of a type.
struct RasterElementSource : RasterLayer
{
    std::vector<std::pair<std::int64_t, int>> class_types; ///< code -> index into types
};

/// A raster `[[rural.exclude]]` source: cells of the listed classes are not rural land.
struct RasterMaskSource : RasterLayer
{
    int group = -1; ///< index into MeasureRequest::mask_groups; -1 = unnamed
    std::vector<std::int64_t> classes;
};

} // namespace landel::analysis

#pragma once
/// @file scratch_tiles.h
/// Tiles of a TiledRaster in a scratch file on disk, for grids larger than memory.

#include "landel/core/tiled_raster.h"

#include <filesystem>

namespace landel::io {

/// A TileStorageFactory whose tiles live in an anonymous scratch file in @p directory (made
/// and deleted at once, so nothing is left behind, even after a crash): one file per raster,
/// each tile at a fixed slot. Reads and writes of different tiles run in parallel (pread,
/// pwrite); the operating system's page cache keeps recent tiles in memory as far as it can.
/// @throws IoError naming the directory when the file cannot be made, and the file's
/// directory when a read or write fails (e.g. the disk is full).
TileStorageFactory scratch_tile_storage(const std::filesystem::path& directory);

} // namespace landel::io

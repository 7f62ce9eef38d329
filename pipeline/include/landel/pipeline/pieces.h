#pragma once
/// @file pieces.h
/// A run measured in pieces, anywhere: plan_pieces() groups the areas into pieces of nearby
/// areas, measure_piece() measures one piece (another process, another machine: only the
/// config and the inputs are needed) into a self-contained partial result, and
/// merge_pieces() puts the partials together and writes the outputs of `landel run`.
///
/// Exactness: an area's figures depend only on the area and the sources, never on the other
/// areas measured with it, so a piece gives each of its areas the figures a whole run gives.
/// A piece reads the other sources only near its own areas (through the layer's spatial
/// index, or through the indexed copy that index_sources() made of a layer without one); its
/// partial names the features it read and repaired by id, so that the merge
/// counts each feature once. Rules that look beyond one area stay whole: the patches of
/// sources with `max_patch_ha` / `min_patch_ha` are judged once for the whole source (by
/// judge_patches(), which reads it whole, or in parts by patch_pieces.h, which gives the same
/// bytes) and handed to every piece, so a patch is judged on its whole extent even
/// when its parts lie in areas of different pieces (without that judgement each piece reads
/// such sources whole and judges them itself); the study area is read whole by every piece. What
/// looks across areas (overlaps, the study area warning, the density raster) is done by the
/// merge over all areas: a vector run's density raster from the owned geometry, a raster run's
/// from the pieces' exact density sums and per-chunk cell counts, measured on the whole run's
/// analysis grid and chunks (analysis/measurement/raster_pass_sums.h). Partials are merged by
/// area position, so the order in which pieces finish does not matter.

#include "landel/pipeline/config.h"
#include "landel/pipeline/job.h"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace landel::pipeline {

/// A source layer without a spatial index, copied once into an indexed GeoPackage so that
/// every piece reads only its part of it (io/indexed_copy.h).
struct LayerCopy
{
    std::string source; ///< the layer copied: its path, layer and open options (io::layer_key)
    std::string label;  ///< the file and layer, for messages
    std::filesystem::path copy;
    std::vector<std::string> files; ///< the source's files, checksummed in the manifest
    bool reused = false;            ///< found in the cache, made by an earlier run
};

/// The folder of a run's copies: `.landel-cache` beside the output folder (@p out, or
/// run.output), so that runs writing beside each other share their copies.
std::filesystem::path copies_folder(const Config& config,
                                    const std::optional<std::filesystem::path>& out);

/// Copies each vector layer the pieces read (study area, given areas, masks, elements) that
/// has no spatial index of its own (GML, a shapefile without .qix, CSV) into @p folder,
/// reusing copies of unchanged sources (found by the files' sizes and modification times;
/// with @p verify by hashing their contents, io/indexed_copy.h); returns what the pieces read
/// instead. Throws like run() (the source's errors) or io::IoError (the folder).
std::vector<LayerCopy> index_sources(const Config& config,
                                     const std::filesystem::path& folder,
                                     bool verify = false);

/// The areas of an "overlay" or "catchments" config, delineated once for every piece of a
/// run, as bytes (CBOR) for plan_pieces() and measure_piece(), which then take them instead of
/// delineating again (a catchment chain reads the whole DEM); empty for given areas, which
/// each piece reads near itself. Throws like delineate().
std::string delineate_for_pieces(const Config& config, const Progress& progress = {});

/// Up to @p pieces groups of area positions (in the order the config's areas are read or
/// made), each ascending, of nearby areas (along a Z-order curve of their centres) and of
/// about equal count. Reads the areas, or delineates them unless @p delineated
/// (delineate_for_pieces()) has them. Throws like run().
std::vector<std::vector<std::size_t>> plan_pieces(const Config& config,
                                                  std::size_t pieces,
                                                  const std::string& delineated = {});

/// Measures the areas at @p areas (positions from plan_pieces) and returns the partial result
/// as bytes (CBOR). A source with one of @p copies is read from its copy; with @p patches
/// (judge_patches()), the sources with a patch rule are read near the areas like the others
/// and their patches taken from there; with @p delineated (delineate_for_pieces()), the areas
/// are taken from there. Throws like run().
std::string measure_piece(const Config& config,
                          const std::vector<std::size_t>& areas,
                          const Progress& progress = {},
                          const std::vector<LayerCopy>& copies = {},
                          const std::string& patches = {},
                          const std::string& delineated = {});

/// Judges the patches of the sources with max_patch_ha (elements) or min_patch_ha (masks)
/// once, on the whole sources, as a whole run judges them: per feature id and polygon part,
/// whether its patch is over the limit, with the sources' patch and repair counts; as bytes
/// (CBOR) for measure_piece(), empty when no source has a patch rule. Reads those sources
/// whole (from @p copies where given) and nothing else but the areas. Throws like run().
std::string judge_patches(const Config& config, const std::vector<LayerCopy>& copies = {});

/// Merges the partials of every piece and writes the run's outputs (as run() does, without
/// element_density.tif) into options.out or run.output. Throws Error when an area is missing
/// or measured twice, or when a partial is not one of landel's. The log names the @p copies
/// the pieces read.
RunOutcome merge_pieces(const Config& config,
                        const std::vector<std::string>& partials,
                        const RunOptions& options,
                        const std::vector<LayerCopy>& copies = {});

} // namespace landel::pipeline

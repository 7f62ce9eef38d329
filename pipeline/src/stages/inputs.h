#pragma once
// Internal: turning the config's sources into the engine's MeasureRequest through io.

#include "landel/analysis/measurement/measurement.h"
#include "landel/core/progress.h"
#include "landel/io/crs.h"
#include "landel/io/layer_cache.h"
#include "landel/io/vector_source.h"
#include "landel/pipeline/area_scope.h"
#include "landel/pipeline/config.h"
#include "landel/pipeline/run_log.h"
#include "stages/patch_verdicts.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace landel::pipeline::detail {

struct TransformRecord
{
    std::string source;
    std::string from_crs;
    std::string pipeline;
};

struct LoadedInputs
{
    analysis::MeasureRequest request;
    std::vector<std::filesystem::path> files; ///< every file read (checksummed in the manifest)
    std::vector<TransformRecord> transforms;
    std::vector<int> type_kinds;                ///< per type: io::kind_* bits of its sources
    std::vector<std::string> checked;           ///< one line per opened input, for `validate`
    std::vector<std::string> warped_rasters;    ///< notes on rasters warped to the run CRS
    std::vector<std::string> delineation_notes; ///< how overlay/catchments made the areas
    std::size_t areas_total = 0; ///< areas of the whole run (AreaScope::piece_areas keeps fewer)
    /// [dataset]: the download's own date (its latest registration or publication; only
    /// looked up with as_of) and, per area, the share the dataset's ground-level surfaces
    /// cover on as_of (stages/dataset_checks.h).
    std::string download_date;
    /// The GML layers parsed once for this job (a [dataset]'s); null without one. Released
    /// once the dataset checks have read it too.
    std::shared_ptr<io::LayerCache> layer_cache;
    std::vector<std::pair<std::string, double>> coverage;
    /// Per vector mask source (in request.masks order): the feature ids read. With the
    /// elements' own fids they tell pieces' reports apart (pieces.cpp merges them by id).
    std::vector<std::vector<std::int64_t>> mask_fids;
    /// A run merged from pieces (pieces.h): per piece, its areas and the vector features it
    /// read (summary.json's `pieces`). Empty for a whole run.
    struct PieceRead
    {
        std::size_t areas = 0;
        std::size_t features_read = 0;
        std::uint64_t raster_cells_read = 0; ///< analysis cells of the chunks it measured
        double read_s = 0.0;
    };
    std::vector<PieceRead> pieces;
};

/// The run CRS, checked to be projected in metres (error names run.crs and its line).
io::Crs run_crs(const Config& config);

/// The paths the config names (before opening anything).
std::vector<std::filesystem::path> config_paths(const Config& config);

/// Indexed copies of source layers (io/indexed_copy.h), by io::layer_key of the source.
using LayerCopies = std::map<std::string, io::IndexedCopy>;

/// Opens every source; with @p read_features false only checks them (validate).
/// @p progress runs from 0 to 1 over all sources; @p scope selects the areas measured; a
/// source with one of @p copies is read from its copy; a source with a patch rule judged in
/// @p verdicts is read near the areas like the others and takes its patches from there.
LoadedInputs load_inputs(const Config& config,
                         const io::Crs& crs,
                         RunLog& log,
                         bool read_features,
                         const Progress& progress = {},
                         const AreaScope& scope = {},
                         const LayerCopies& copies = {},
                         const PatchVerdicts* verdicts = nullptr);

/// The vector layers load_inputs() reads with a piece's scope, as io requests (no fields):
/// the study area, given areas, masks and elements.
std::vector<io::VectorRequest> vector_inputs(const Config& config);

/// Reads the study area and makes or reads the areas, nothing else (landel delineate).
LoadedInputs load_areas_only(const Config& config,
                             const io::Crs& crs,
                             RunLog& log,
                             const Progress& progress = {},
                             const AreaScope& scope = {});

/// An io request for a vector source of the config (no fields yet).
io::VectorRequest vector_request(const SourceConfig& src);

/// Opens a vector source and records its files and CRS transform in @p inputs (the manifest).
std::unique_ptr<io::VectorSource> open_recorded(const io::VectorRequest& request,
                                                const io::Crs& crs,
                                                LoadedInputs& inputs);

/// Records @p files as read (once each).
void record_files(LoadedInputs& inputs, const std::vector<std::string>& files);

} // namespace landel::pipeline::detail

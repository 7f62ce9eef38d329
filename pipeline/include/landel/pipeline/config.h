#pragma once
/// @file config.h
/// The run configuration (CONTRACT.md, "One run = one TOML file"), loaded strictly: unknown
/// keys, wrong value types and out-of-range values are errors naming the key and its line.

#include "landel/analysis/measurement/targets.h"
#include "landel/core/error.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace landel::pipeline {

/// A configuration error; the message starts with "FILE:LINE: ".
class ConfigError : public Error
{
public:
    using Error::Error;
    [[noreturn]] void rethrow_with(const std::string& message) const override
    {
        throw ConfigError(message);
    }
};

/// Keys every source section shares.
struct SourceConfig
{
    std::string key; ///< e.g. "elements[2]", for messages
    int line = 0;    ///< line of the section header (or first key)
    std::filesystem::path path; ///< resolved against the TOML file's folder
    std::string layer;
    std::string where;
    std::optional<std::string> assume_crs;

    /// "landel.toml:12: elements[2]" — the prefix of messages about this source.
    std::string label;
};

struct ElementConfig : SourceConfig
{
    std::string type;       ///< fixed type, or
    std::string type_field; ///< a field whose values map to types through `types`
    std::vector<std::pair<std::string, std::string>> types;
    std::optional<double> width_m;
    std::string width_field;
    std::optional<double> max_patch_ha;
    std::vector<std::pair<std::int64_t, std::string>> classes; ///< raster: code -> type
    bool resample_nearest = false; ///< raster in another CRS: warp it (nearest neighbour)

    bool raster() const { return !classes.empty(); }
};

struct MaskConfig : SourceConfig
{
    std::string name; ///< empty: not reported on its own
    std::vector<std::int64_t> classes; ///< raster masks: the codes that exclude
    bool resample_nearest = false;

    bool raster() const { return !classes.empty(); }
};

struct AreaLayerConfig : SourceConfig
{
    std::string field;
    std::string id_field;
    std::string name_field;
};

/// `[areas.dem]` of the catchments method.
struct DemConfig : SourceConfig
{
    double min_catchment_ha = 200.0; ///< stream threshold (accumulated upstream area)
    double z_factor = 1.0;           ///< multiplies elevations (AHN in cm: 0.01)
    std::string basins = "links";    ///< "links" | "outlets"
    bool fill_holes = false;         ///< nodata holes inside the DEM stop being outlets
    bool resample_bilinear = false;  ///< a DEM in another CRS is warped (bilinear)
    std::optional<SourceConfig> burn; ///< watercourses burnt into the DEM first
    double burn_depth_m = 1.0;
};

struct AreasConfig
{
    std::string method = "given";
    int method_line = 0;
    double min_area_ha = 25.0; ///< overlay/catchments: parts under it merge (0: none)
    std::vector<AreaLayerConfig> layers;
    std::optional<DemConfig> dem;
};

struct Config
{
    std::filesystem::path file; ///< the TOML file
    std::filesystem::path dir;  ///< its folder

    std::string name;
    std::string crs = "EPSG:28992";
    int crs_line = 0;
    std::optional<int> measurement_year;
    std::filesystem::path output; ///< resolved; empty when not given
    std::size_t memory_mb = 1024;  ///< raster pass: cell buffers of all threads together
    double density_cell_m = 25.0;  ///< element_density.tif cell size

    std::optional<SourceConfig> study_area;
    /// Not a TOML key: set by `landel batch`, where one layer of areas serves every unit.
    /// Given areas of which less than `unit_min_part_ha` lies in the study area are left out
    /// instead of being measured as 0 ha (or as a sliver).
    bool areas_outside_study_left_out = false;
    double unit_min_part_ha = 0.01;
    /// Not a TOML key: a run measured in pieces (pieces.h) keeps only these areas, by their
    /// position in the order the areas are read or made; empty: all areas.
    std::vector<std::size_t> piece_areas;
    AreasConfig areas;
    std::vector<MaskConfig> masks;
    std::vector<ElementConfig> elements;

    std::vector<std::string> type_order; ///< resolved precedence (explicit or first appearance)
    std::optional<int> baseline_year;
    std::vector<analysis::Milestone> milestones;

    /// [bid]: the element catalogue and mix files (empty: the ones shipped with landel), the
    /// mixes the config gives itself (replacing a region's mix), the layer naming each area's
    /// physical-geographic region, and the XLSX sheet limit.
    std::filesystem::path bid_costs;
    std::filesystem::path bid_mixes;
    struct MixOverride
    {
        std::string region;
        std::vector<std::pair<std::string, double>> shares; ///< type, share
        int line = 0;
    };
    std::vector<MixOverride> bid_mix;
    struct RegionsConfig : SourceConfig
    {
        std::string field;
    };
    std::optional<RegionsConfig> bid_regions;
    /// [bid.potential]: parcels whose free edges limit the line types planted on them.
    struct PotentialConfig : SourceConfig
    {
        double clearance_m = 5.0; ///< an edge within this of an element is taken
        std::vector<std::string> types{ "hedge", "thorn_hedge", "wooded_bank", "alder_row" };
    };
    std::optional<PotentialConfig> bid_potential;
    int max_area_sheets = 200;

    /// [render]: per-area maps (PNG and atlas pages) up to this many areas; PNG resolution.
    int max_area_maps = 20;
    double map_dpi = 300.0;
    bool overview_a3 = false; ///< [render] overview_page = "A3" (default "A4")

    /// Names of the named rural.exclude masks in first-appearance order (excl_<name>_ha).
    std::vector<std::string> mask_groups() const;
    /// Where a key is, for messages: "landel.toml:LINE".
    std::string where(int line) const;
};

/// What the config is read for: a run measures, so it needs [[elements]]; delineation only
/// makes the areas (other sections are still checked when present).
enum class ConfigUse
{
    Run,
    Delineate
};

/// Reads and checks @p file. Throws ConfigError.
Config load_config(const std::filesystem::path& file, ConfigUse use = ConfigUse::Run);

/// Checks the TOML text @p toml as if it were the contents of @p file: relative paths are
/// resolved against @p file's folder and messages name @p file ("landel.toml:LINE: ..."); the
/// file itself is not read. Throws ConfigError.
Config load_config_text(std::string_view toml, const std::filesystem::path& file,
                        ConfigUse use = ConfigUse::Run);

} // namespace landel::pipeline

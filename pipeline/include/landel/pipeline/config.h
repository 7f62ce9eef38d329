#pragma once
/// @file config.h
/// The run configuration (docs/configuration.md), loaded strictly: unknown
/// keys, wrong value types and out-of-range values are errors naming the key and its line.

#include "landel/analysis/measurement/targets.h"
#include "landel/core/error.h"
#include "landel/core/resample.h"

#include <cstdint>
#include <filesystem>
#include <map>
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

/// `[areas] method`: the areas are given by a layer, made by overlaying classified layers,
/// or made as catchments of a DEM.
enum class AreasMethod
{
    Given,
    Overlay,
    Catchments
};

/// `[areas.dem] basins`: one area per stream link, or one per outlet.
enum class Basins
{
    Links,
    Outlets
};

/// `[render] overview_page`.
enum class PageSize
{
    A4,
    A3
};

/// The TOML spelling of each choice, as summary.json and the log write it (Resample's is in
/// landel/core/resample.h).
const char* to_string(AreasMethod m);
const char* to_string(Basins b);
const char* to_string(PageSize p);

/// Keys every source section shares.
struct SourceConfig
{
    std::string key;            ///< e.g. "elements[2]", for messages
    int line = 0;               ///< line of the section header (or first key)
    std::filesystem::path path; ///< resolved against the TOML file's folder
    std::string layer;
    std::string where;
    std::optional<std::string> assume_crs;
    std::vector<std::string> open_options; ///< GDAL open options (preset layers: GFS_TEMPLATE)

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
    Resample resample = Resample::None; ///< raster in another CRS: None or Nearest
    bool from_preset = false; ///< a [dataset] preset's row (no warning when it finds nothing)

    bool raster() const { return !classes.empty(); }
};

struct MaskConfig : SourceConfig
{
    std::string name;                   ///< empty: not reported on its own
    std::optional<double> min_patch_ha; ///< only connected patches above this mask (forest)
    std::vector<std::int64_t> classes;  ///< raster masks: the codes that exclude
    Resample resample = Resample::None; ///< raster in another CRS: None or Nearest

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
    Basins basins = Basins::Links;
    bool fill_holes = false;            ///< nodata holes inside the DEM stop being outlets
    Resample resample = Resample::None; ///< a DEM in another CRS: None or Bilinear
    std::optional<SourceConfig> burn;   ///< watercourses burnt into the DEM first
    double burn_depth_m = 1.0;
    /// 0: in memory when the estimate fits run.memory_mb, else in tiles sized from it; > 0:
    /// always in tiles of tile_side × tile_side cells.
    std::size_t tile_side = 0;
};

/// `[dataset]`: a national dataset read through a preset (docs/presets.md). The preset's
/// element rows become [[elements]] sources and its rural parts masks when the config is
/// loaded; what stays here is what outputs report and what the run checks.
struct DatasetConfig
{
    std::string preset;                ///< as the config names it ("bgt" or a file)
    std::filesystem::path preset_file; ///< the preset file used
    std::string preset_name;           ///< [preset] name in that file
    std::string title;
    std::filesystem::path path;       ///< the download: zip, folder or vector dataset
    std::string kind;                 ///< what path is ("a zip archive", ...)
    std::optional<std::string> as_of; ///< YYYY-MM-DD; none: the current objects
    int line = 0;
    /// Every option of the preset with the value used (the config's or the default), as TOML
    /// text, in the preset's order.
    std::vector<std::pair<std::string, std::string>> options;
    /// The fields that date the download (history and publication), and the layers to scan.
    std::vector<std::string> date_fields;
    std::vector<SourceConfig> dated_layers;
    /// The ground-level surfaces that tile the land once captured, and the share of an area
    /// they must cover before a warning.
    std::vector<SourceConfig> coverage;
    double coverage_min_share = 0.99;
    std::vector<std::string> notes; ///< for the run log (e.g. layers the download has empty)
};

/// `[rural] definition`: which land is the denominator of the share.
enum class RuralDefinition
{
    Custom,      ///< the [[rural.exclude]] masks as given
    Aanvalsplan, ///< area − built-up area − NNN (− road and rail surfaces by default)
    Cobra        ///< aanvalsplan − water − woods above the element size limit
};

const char* to_string(RuralDefinition d);

/// The denominator as outputs describe it.
struct RuralConfig
{
    RuralDefinition definition = RuralDefinition::Custom;
    int line = 0;
    bool roads_excluded = true; ///< `roads = "built"` (default) or "rural"
    std::optional<SourceConfig> built_up;
    std::optional<SourceConfig> nnn;
    /// "share of rural land, excluding built-up area and NNN": the legend's words.
    std::string label;
    /// What rural land leaves out of an area: "excluding built-up area and NNN"; empty when
    /// nothing is (the whole area counts).
    std::string excluded;
    /// One line per part: what it is and where it comes from.
    std::vector<std::string> parts;
    bool approximate = false; ///< a stand-in was used (e.g. BGT pand + erf for built-up area)
    std::vector<std::string> warnings; ///< for the run log (e.g. NNN not excluded)
};

struct AreasConfig
{
    AreasMethod method = AreasMethod::Given;
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
    std::size_t memory_mb = 1024; ///< raster pass: cell buffers of all threads together
    double density_cell_m = 25.0; ///< element_density.tif cell size

    std::optional<SourceConfig> study_area;
    AreasConfig areas;
    std::optional<DatasetConfig> dataset;
    RuralConfig rural;
    std::vector<MaskConfig> masks;
    std::vector<ElementConfig> elements;

    std::vector<std::string> type_order; ///< resolved precedence (explicit or first appearance)
    std::optional<int> baseline_year;
    std::vector<analysis::Milestone> milestones;
    /// [targets] scope: which gap the bid's proposal closes — each area's own ("area") or the
    /// run's regional gap spread over the areas below their target ("region"; docs/bid.md,
    /// "Regional accounting").
    enum class GapScope
    {
        Area,
        Region
    };
    GapScope gap_scope = GapScope::Area;

    /// [monitoring]: the output folders of earlier runs of the same areas (resolved against
    /// the config's folder), compared with this run when it is written (docs/monitoring.md),
    /// and the noise tolerance of that comparison.
    struct MonitoringConfig
    {
        std::vector<std::filesystem::path> runs;
        double tolerance_m = 0.5;
        int line = 0;
    };
    std::optional<MonitoringConfig> monitoring;

    /// [siting]: where elements could go and how they connect (docs/siting.md): footprints
    /// within gap_m of each other form one component, the equivalent connected area uses
    /// p = 0.5 at dispersal_m, free parcel edges shorter than min_length_m are no candidate
    /// sites, and rule says which candidates are chosen first.
    struct SitingConfig
    {
        double gap_m = 25.0;
        double dispersal_m = 100.0;
        double min_length_m = 20.0;
        std::string rule = "eca_per_euro"; ///< or "cost": how candidates are chosen
        /// [[siting.along]] (or the preset's banks and verges): a free edge along this land is
        /// a site of this kind ("bank", "verge"); any other free edge is a "parcel_edge".
        struct AlongConfig : SourceConfig
        {
            std::string kind;
        };
        std::vector<AlongConfig> along;
        double along_m = 2.0; ///< an edge this close to such land runs along it
        /// [siting.kind_types]: per kind of site ("parcel_edge" or a kind of [[siting.along]]),
        /// the strip types its edges may hold; an area's sites of that kind hold every one its
        /// mix holds, each sharing the edges with the others (the largest share chosen first).
        /// A kind with none of them in the mix (or not listed) holds the parcel edges' types.
        /// Default: banks hold nature-friendly banks and reed edges, elements that lie along
        /// water by definition (catalogue; BIJ12 L01.14); parcel edges hold
        /// bid.potential.types, herb-rich field margins and pollard rows (site_types.h).
        std::map<std::string, std::vector<std::string>> kind_types = {
            { "bank", { "natural_bank", "reed_edge" } }
        };
        std::vector<SourceConfig> exclude; ///< [siting.exclude]: land where no site may go
        /// Types sited in field corners as round sites (ponds, small woods, a solitary tree's
        /// crown), each of the catalogue's plan width, else of corner_m2; a parcel vertex whose
        /// angle inside the parcel is at most corner_angle_deg is a corner.
        std::vector<std::string> corner_types = { "pond",
                                                  "small_wood",
                                                  "orchard",
                                                  "solitary_tree" };
        /// Corner types sited as a block of corner_m2 that fills the corner (sides along both
        /// edges) instead of a disc: an orchard is rows of trees 8-12 m apart (domain notes).
        std::vector<std::string> block_types = { "orchard" };
        double corner_angle_deg = 135.0;
        double corner_m2 = 2500.0;
        int line = 0;
    };
    std::optional<SitingConfig> siting;

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
        /// Without a path, a [dataset] preset's agricultural land stands in for the parcels:
        /// these sources are read instead, and stand_in_note names them for the log.
        std::vector<SourceConfig> stand_in;
        std::string stand_in_note;
    };
    std::optional<PotentialConfig> bid_potential;
    /// [bid.offers]: the pledges of the area's participants (docs/bid.md, "Pledges"), a layer
    /// or a CSV; each key names the attribute holding that part of a pledge.
    struct OffersConfig : SourceConfig
    {
        std::string participant = "participant";
        std::string area_id = "area_id"; ///< optional attribute (a geometry places a pledge)
        std::string type = "type";
        std::string quantity = "quantity"; ///< optional attribute (a geometry gives it)
        std::string year = "year";
        std::string funder = "funder";         ///< optional attribute
        std::string conditions = "conditions"; ///< optional attribute
    };
    std::optional<OffersConfig> bid_offers;
    int max_area_sheets = 200;
    /// The one-off loss of land value when farmland becomes a permanent element, euro per
    /// hectare (docs/bid.md): [bid.land_value] per region (the areas' mix region) first; else
    /// the land-value table's row for the area's land use ([bid.land_use], the value covering
    /// most of the area); else land_value_eur_per_ha; else the table's "average" row (2023
    /// farmland EUR 78,800/ha minus woodland EUR 17,800/ha, Kadaster / WEcR [EST]). The table
    /// is data/catalogue/land_value.csv unless [bid] land_values names another.
    std::optional<double> land_value_eur_per_ha;
    std::map<std::string, double> land_value_by_region;
    std::filesystem::path bid_land_values;
    std::optional<RegionsConfig> bid_land_use;

    /// [render]: whether maps are drawn at all (`maps = false` or `landel run --no-maps`, for
    /// batch work: report.html is written without them); per-area maps (PNG and atlas
    /// pages) up to this many areas; PNG resolution.
    bool maps = true;
    int max_area_maps = 20;
    double map_dpi = 300.0;
    PageSize overview_page = PageSize::A4;
    /// The language of the outputs' labels (report, maps, workbook, GeoPackage aliases):
    /// "en" or "nl" (docs/outputs.md, "Language"). File and column names stay English.
    std::string language = "en";

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
Config load_config_text(std::string_view toml,
                        const std::filesystem::path& file,
                        ConfigUse use = ConfigUse::Run);

/// The milestones without [targets]: 5 % of rural land by 2030, 10 % by 2050.
std::vector<analysis::Milestone> default_milestones();

/// The keys of one vector element source given outside a config file (landel.measure):
/// type, type_field, types, width_m, width_field and max_patch_ha as TOML text, checked as
/// [[elements]] sections are, with the same messages but no "FILE:LINE: " (they name the
/// source @p name, e.g. "elements[0].width_m must be > 0, got 0"). Unlike a section, type_field
/// may come without 'types': then its values are the types. Throws ConfigError.
ElementConfig load_element_keys(std::string_view toml, const std::string& name);

} // namespace landel::pipeline

#include "stages/inputs.h"

#include "job/progress.h"
#include "stages/delineation.h"
#include "stages/prepared_areas.h"

#include "landel/analysis/measurement/area_selection.h"
#include "landel/analysis/measurement/footprint.h"
#include "landel/core/error.h"
#include "landel/geometry/ops.h"
#include "landel/io/error.h"
#include "landel/io/indexed_copy.h"
#include "landel/io/raster_source.h"
#include "landel/io/vector_source.h"
#include "landel/pipeline/area_schema.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace landel::pipeline::detail {

namespace fs = std::filesystem;

namespace {

io::VectorRequest request_for(const SourceConfig& src)
{
    return vector_request(src);
}

/// Kinds of geometry in features whose layer declares none.
int kinds_from_features(const std::vector<io::VectorFeature>& features)
{
    int kinds = 0;
    for (const io::VectorFeature& f : features)
        kinds |= geometry_kinds(f.wkb);
    return kinds;
}

/// The engine's view of a raster file: one io::RasterSource per reader (per thread).
class RasterClassReader : public analysis::ClassReader
{
public:
    explicit RasterClassReader(std::unique_ptr<io::RasterSource> source)
      : m_source(std::move(source))
    {
    }
    Raster<std::int32_t> read(const Grid& window) override
    {
        return m_source->read_classes(window);
    }

private:
    std::unique_ptr<io::RasterSource> m_source;
};

class Loader
{
public:
    Loader(const Config& config,
           const io::Crs& crs,
           RunLog& log,
           bool read,
           const Progress& progress,
           const AreaScope& scope = {},
           const LayerCopies& copies = {},
           const PatchVerdicts* verdicts = nullptr)
      : m_cfg(config)
      , m_scope(scope)
      , m_copies(copies)
      , m_verdicts(verdicts)
      , m_crs(crs)
      , m_log(log)
      , m_read(read)
      , m_progress(progress)
      , m_source_count(1 + (config.study_area ? 1 : 0) + config.masks.size() +
                       config.elements.size())
    {
    }

    /// The study area and the areas only (landel delineate).
    LoadedInputs load_areas_only()
    {
        m_source_count = 1 + (m_cfg.study_area ? 1 : 0);
        load_study_area_and_areas();
        return std::move(m_out);
    }

    LoadedInputs load()
    {
        // A preset reads several sources from one GML layer: each layer is parsed once.
        if (m_cfg.dataset)
            m_out.layer_cache = std::make_shared<io::LayerCache>();
        m_out.request.types = m_cfg.type_order;
        m_out.request.milestones = m_cfg.milestones;
        m_out.request.mask_groups = m_cfg.mask_groups();
        m_out.type_kinds.assign(m_cfg.type_order.size(), 0);
        // The patch judgement reads its sources whole and needs no areas (delineating them
        // could be a run's costliest step).
        if (!m_scope.patch_sources_only)
            load_study_area_and_areas();
        for (const MaskConfig& m : m_cfg.masks)
            load_mask(m);
        for (const ElementConfig& e : m_cfg.elements)
            load_elements(e);
        return std::move(m_out);
    }

private:
    void load_study_area_and_areas()
    {
        // Delineated areas are clipped to the study area as they are made: read it first.
        if (m_cfg.study_area)
            load_study_area();
        if (m_cfg.areas.method == AreasMethod::Given)
            load_areas();
        else
            load_delineated_areas();
    }

    std::unique_ptr<io::VectorSource> open(io::VectorRequest request)
    {
        request.cache = m_out.layer_cache.get();
        if (const auto copy = m_copies.find(io::layer_key(request)); copy != m_copies.end())
            request.copy = copy->second;
        auto source = open_recorded(request, m_crs, m_out);
        const io::VectorLayerInfo& info = source->info();
        m_out.checked.push_back(request.label + ": '" + request.path.string() + "' layer '" +
                                info.layer + "', CRS " + info.crs +
                                (info.pipeline.empty() ? "" : " (reprojected)"));
        return source;
    }

    void load_delineated_areas()
    {
        if (!m_read) {
            // validate: open every input of the method without delineating.
            for (const AreaLayerConfig& layer : m_cfg.areas.layers) {
                io::VectorRequest r = request_for(layer);
                r.fields.push_back(layer.field);
                r.field_keys.push_back("field");
                if (!layer.name_field.empty()) {
                    r.fields.push_back(layer.name_field);
                    r.field_keys.push_back("name_field");
                }
                open(r);
            }
            if (const auto& dem = m_cfg.areas.dem) {
                io::RasterOptions options;
                options.assume_crs = dem->assume_crs;
                options.resample = dem->resample;
                options.resample_hint = "resample = \"bilinear\" in [areas.dem]";
                const io::RasterSource source(dem->path, dem->label, m_crs, options);
                std::ostringstream line;
                line << dem->label << ": '" << dem->path.string() << "' DEM "
                     << source.info().grid.cols() << " x " << source.info().grid.rows()
                     << " cells of " << source.info().grid.dx() << " m, CRS " << source.info().crs;
                m_out.checked.push_back(line.str());
                if (dem->burn)
                    open(request_for(*dem->burn));
            }
            return;
        }
        DelineatedAreas d;
        if (!m_scope.delineated_areas.empty()) { // made once for every piece of the run
            PreparedAreas prepared = prepared_areas_from_bytes(m_scope.delineated_areas);
            for (const fs::path& f : prepared.files)
                record_files(m_out, { f.string() });
            m_out.transforms.insert(
              m_out.transforms.end(), prepared.transforms.begin(), prepared.transforms.end());
            d = std::move(prepared.delineated);
        } else {
            d = delineate_areas(
              m_cfg, m_crs, m_log, m_out, m_out.request.study_area_wkb, next_share());
        }
        m_out.request.areas = std::move(d.areas);
        m_out.request.areas_label = d.label;
        m_out.delineation_notes = std::move(d.notes);
        keep_piece_areas();
        note_where_areas_are();
    }

    void load_areas()
    {
        const AreaLayerConfig& layer = m_cfg.areas.layers.front();
        io::VectorRequest r = request_for(layer);
        if (!layer.id_field.empty()) {
            r.fields.push_back(layer.id_field);
            r.field_keys.push_back("id_field");
        }
        if (!layer.name_field.empty()) {
            r.fields.push_back(layer.name_field);
            r.field_keys.push_back("name_field");
        }
        auto source = open(r);
        const int kinds = source->info().geometry_kinds;
        if (kinds != 0 && kinds != io::kind_polygons)
            throw Error(layer.label + ": areas in '" + layer.path.string() + "' layer '" +
                        source->info().layer + "' are not polygons");
        m_out.request.areas_label = layer.label + " ('" + layer.path.filename().string() + "')";
        if (!m_read)
            return;
        const auto features = source->read({}, next_share());
        if (features.empty())
            throw Error(layer.label + ": '" + layer.path.string() + "' layer '" +
                        source->info().layer + "' selects no areas");
        for (const io::VectorFeature& f : features) {
            analysis::AreaFeature a;
            a.fid = f.fid;
            a.wkb = f.wkb;
            std::size_t k = 0;
            if (!layer.id_field.empty()) {
                const io::FieldValue& v = f.fields[k++];
                if (v.null || v.text.empty())
                    throw Error(layer.label + ": feature " + std::to_string(f.fid) +
                                " has no value in id_field '" + layer.id_field + "'");
                a.id = v.text;
            } else {
                a.id = std::to_string(f.fid);
            }
            if (!layer.name_field.empty())
                a.name = f.fields[k].text;
            m_out.request.areas.push_back(std::move(a));
        }
        if (m_scope.outside_study_left_out && !m_out.request.study_area_wkb.empty())
            leave_out_areas_outside_study(layer);
        keep_piece_areas();
        note_where_areas_are();
    }

    /// The envelopes of the areas measured: the other sources keep only what lies near one of
    /// them. An area's figures depend only on what meets it, so a piece of a run, reading near
    /// its own areas only, gives them the whole run's figures; and what a source counts as
    /// read is the same features however the areas are split into pieces.
    void note_where_areas_are()
    {
        geometry::GeosContext ctx;
        std::vector<Box> boxes;
        for (const analysis::AreaFeature& a : m_out.request.areas)
            boxes.push_back(geometry::envelope(ctx, geometry::from_wkb(ctx, a.wkb).get()));
        m_near_areas = BoxSet(boxes);
    }

    /// What a source keeps: features near the areas. A piece asks the driver's spatial index
    /// for its areas' box first, so that it does not read the whole layer; a whole run reads
    /// every feature, so that a NaN coordinate anywhere is an error (io::ReadNear).
    /// The patches judged in parts (AreaScope::patch_sources_near): the sources with a patch
    /// rule read near a tile or a group's parts only (parts are whole polygons: no margin).
    std::optional<io::ReadNear> patch_sources_near() const
    {
        if (!m_scope.patch_sources_only || !m_scope.patch_sources_near)
            return std::nullopt;
        io::ReadNear near;
        near.boxes = &*m_scope.patch_sources_near;
        near.by_index = true;
        return near;
    }

    io::ReadNear near_areas(double margin = 0.0,
                            std::optional<std::size_t> grow_by_half_of = std::nullopt) const
    {
        io::ReadNear near;
        near.boxes = &m_near_areas;
        near.margin = margin;
        near.grow_by_half_of = grow_by_half_of;
        near.by_index = !m_scope.piece_areas.empty();
        return near;
    }

    /// A piece of a run (pieces.h) measures only its areas; they then limit what the other
    /// sources read (patch sources are read whole all the same). The raster pass frames the
    /// whole run's areas, in a piece as in a whole run, so that both measure on the same
    /// grid, chunks and density cells (raster_pass_sums.h).
    void keep_piece_areas()
    {
        std::vector<analysis::AreaFeature>& areas = m_out.request.areas;
        m_out.areas_total = areas.size();
        geometry::GeosContext ctx;
        for (const analysis::AreaFeature& a : areas)
            m_out.request.raster_frame_extent.expand(
              geometry::envelope(ctx, geometry::from_wkb(ctx, a.wkb).get()));
        if (m_scope.piece_areas.empty())
            return;
        std::vector<analysis::AreaFeature> kept;
        for (std::size_t i : m_scope.piece_areas) {
            if (i >= areas.size())
                throw Error("run piece: area " + std::to_string(i) +
                            " does not exist (the config has " + std::to_string(areas.size()) +
                            " areas); plan the pieces again");
            kept.push_back(areas[i]);
        }
        areas = std::move(kept);
    }

    /// landel batch: areas that do not reach into the unit belong to other units.
    void leave_out_areas_outside_study(const AreaLayerConfig& layer)
    {
        std::vector<analysis::AreaFeature>& areas = m_out.request.areas;
        std::vector<std::string> wkbs;
        wkbs.reserve(areas.size());
        for (const analysis::AreaFeature& a : areas)
            wkbs.push_back(a.wkb);
        const analysis::AreaSelection selection = analysis::areas_meeting(
          m_out.request.study_area_wkb, wkbs, m_scope.unit_min_part_ha * 1e4);
        const std::vector<std::size_t>& keep = selection.selected;
        if (keep.empty())
            throw Error(layer.label + ": no area of '" + layer.path.string() +
                        "' lies in the study area");
        std::vector<analysis::AreaFeature> kept;
        kept.reserve(keep.size());
        for (std::size_t i : keep)
            kept.push_back(std::move(areas[i]));
        m_log.info(layer.label + ": " + std::to_string(kept.size()) + " of " +
                   std::to_string(areas.size()) +
                   " areas lie in the study area; the others are left out");
        if (selection.slivers > 0) {
            std::ostringstream note;
            note << layer.label << ": " << selection.slivers
                 << " areas reach into the study area by less than " << m_scope.unit_min_part_ha
                 << " ha each (" << selection.left_out_m2
                 << " m2 together); they belong to other units and are left out";
            m_log.info(note.str());
        }
        areas = std::move(kept);
    }

    void load_study_area()
    {
        const SourceConfig& sa = *m_cfg.study_area;
        auto source = open(request_for(sa));
        if (!m_read)
            return;
        for (io::VectorFeature& f : source->read({}, next_share()))
            m_out.request.study_area_wkb.push_back(std::move(f.wkb));
        if (m_out.request.study_area_wkb.empty())
            throw Error(sa.label + ": '" + sa.path.string() + "' selects no study area polygons");
    }

    /// Opens a raster source (checking it) and describes it for the engine.
    analysis::RasterLayer open_raster(const SourceConfig& src, Resample resample)
    {
        io::RasterOptions options;
        options.assume_crs = src.assume_crs;
        options.resample = resample;
        io::RasterSource source(src.path, src.label, m_crs, options);
        const io::RasterInfo& info = source.info();
        record_files(m_out, info.files);
        std::ostringstream line;
        line << src.label << ": '" << src.path.string() << "' raster " << info.grid.cols() << " x "
             << info.grid.rows() << " cells of " << info.grid.dx() << " m, CRS " << info.crs
             << (info.warped ? " (warped, nearest neighbour)" : "");
        m_out.checked.push_back(line.str());
        if (info.warped)
            m_out.warped_rasters.push_back(src.label + " ('" + src.path.filename().string() +
                                           "'): warped from " + info.crs +
                                           " onto the run CRS with nearest neighbour; its class "
                                           "areas shift slightly");

        analysis::RasterLayer layer;
        layer.label = src.label + " ('" + src.path.filename().string() + "')";
        layer.grid = info.grid;
        layer.block_rows = info.block_rows;
        layer.block_cols = info.block_cols;
        // One file, opened the same way, holds the same cells whatever section names it.
        layer.dataset_key =
          fs::weakly_canonical(src.path).string() + (resample != Resample::None ? "|warped" : "");
        const io::Crs crs = m_crs;
        const fs::path path = src.path;
        const std::string label = src.label;
        layer.open = [crs, path, label, options]() -> std::unique_ptr<analysis::ClassReader> {
            return std::make_unique<RasterClassReader>(
              std::make_unique<io::RasterSource>(path, label, crs, options));
        };
        if (const Progress share = next_share())
            share(1.0, "reading"); // its cells are read later, block by block
        return layer;
    }

    int group_of(const std::string& name) const
    {
        const auto& groups = m_out.request.mask_groups;
        return name.empty() ? -1
                            : int(std::find(groups.begin(), groups.end(), name) - groups.begin());
    }

    void load_mask(const MaskConfig& m)
    {
        if (m.raster()) {
            analysis::RasterMaskSource mask;
            static_cast<analysis::RasterLayer&>(mask) = open_raster(m, m.resample);
            mask.group = group_of(m.name);
            mask.classes = m.classes;
            m_out.request.raster_masks.push_back(std::move(mask));
            return;
        }
        analysis::MaskSource mask;
        mask.label = m.label + " ('" + m.path.filename().string() + "')";
        mask.min_patch_ha = m.min_patch_ha;
        const SourcePatches* judged =
          m_verdicts ? m_verdicts->mask(m_out.request.masks.size()) : nullptr;
        if (m_scope.patch_sources_only && !m.min_patch_ha) {
            m_out.mask_fids.emplace_back(); // kept in place, unread
            m_out.request.masks.push_back(std::move(mask));
            return;
        }
        auto source = open(request_for(m));
        if (!m_read)
            return;
        const auto& groups = m_out.request.mask_groups;
        mask.group = m.name.empty()
                       ? -1
                       : int(std::find(groups.begin(), groups.end(), m.name) - groups.begin());
        // A mask of large patches judges them on their whole extent, so it is read whole,
        // unless they were judged beforehand.
        const io::ReadNear near = patch_sources_near()        ? *patch_sources_near()
                                  : m.min_patch_ha && !judged ? io::ReadNear{}
                                                              : near_areas();
        std::vector<std::int64_t> fids;
        for (io::VectorFeature& f : source->read(near, next_share())) {
            mask.wkb.push_back(std::move(f.wkb));
            fids.push_back(f.fid);
        }
        if (judged)
            mask.judged = judged->for_features(fids, mask.label);
        m_out.mask_fids.push_back(std::move(fids));
        m_log.info(mask.label + ": " + std::to_string(mask.wkb.size()) + " features");
        m_out.request.masks.push_back(std::move(mask));
    }

    int type_index(const std::string& type) const
    {
        const auto& order = m_cfg.type_order;
        return int(std::find(order.begin(), order.end(), type) - order.begin());
    }

    void load_elements(const ElementConfig& e)
    {
        if (e.raster()) {
            analysis::RasterElementSource raster;
            static_cast<analysis::RasterLayer&>(raster) = open_raster(e, e.resample);
            for (const auto& [code, type] : e.classes)
                raster.class_types.emplace_back(code, type_index(type));
            m_out.request.raster_sources.push_back(std::move(raster));
            return;
        }
        const SourcePatches* judged =
          m_verdicts ? m_verdicts->element(m_out.request.sources.size()) : nullptr;
        if (m_scope.patch_sources_only && !e.max_patch_ha) {
            analysis::ElementSource unread; // kept in place
            unread.label = e.label + " ('" + e.path.filename().string() + "')";
            m_out.request.sources.push_back(std::move(unread));
            return;
        }
        io::VectorRequest r = request_for(e);
        if (!e.type_field.empty()) {
            r.fields.push_back(e.type_field);
            r.field_keys.push_back("type_field");
        }
        std::optional<std::size_t> width_at;
        if (!e.width_field.empty()) {
            width_at = r.fields.size();
            r.fields.push_back(e.width_field);
            r.field_keys.push_back("width_field");
        }
        auto source = open(r);
        if (!m_read)
            return;

        analysis::ElementSource out;
        out.label = e.label + " ('" + e.path.filename().string() + "')";
        out.max_patch_ha = e.max_patch_ha;
        out.warn_if_empty = !e.from_preset;
        // Patches are judged on their whole extent, so such sources are read whole (unless
        // judged beforehand). A strip or crown of a line or point just outside an area's box
        // still reaches in by half its width (width_m, or the feature's own with width_field).
        const auto features =
          patch_sources_near() ? source->read(*patch_sources_near(), next_share())
          : e.max_patch_ha && !judged
            ? source->read({}, next_share())
            : source->read(near_areas(e.width_m ? 0.5 * *e.width_m : 0.0, width_at), next_share());
        std::map<std::string, int> mapped;
        for (const auto& [value, type] : e.types)
            mapped[value] = type_index(type);
        const int fixed_type = e.type.empty() ? -1 : type_index(e.type);
        std::size_t unmapped = 0;

        for (const io::VectorFeature& f : features) {
            analysis::ElementFeature ef;
            ef.fid = f.fid;
            ef.wkb = f.wkb;
            std::size_t k = 0;
            if (fixed_type >= 0) {
                ef.type = fixed_type;
            } else {
                const io::FieldValue& v = f.fields[k++];
                const auto it = v.null ? mapped.end() : mapped.find(v.text);
                if (it == mapped.end()) {
                    ++unmapped; // values not listed in `types` are not elements
                    continue;
                }
                ef.type = it->second;
            }
            if (!e.width_field.empty()) {
                const io::FieldValue& v = f.fields[k];
                if (!v.null) {
                    if (std::isnan(v.number))
                        throw Error(out.label + ": feature " + std::to_string(f.fid) +
                                    ": width_field '" + e.width_field + "' value '" + v.text +
                                    "' is not a number");
                    ef.width_m = v.number;
                }
            }
            if (std::isnan(ef.width_m) && e.width_m)
                ef.width_m = *e.width_m;
            out.features.push_back(std::move(ef));
        }
        if (unmapped)
            m_log.info(out.label + ": " + std::to_string(unmapped) + " features whose " +
                       e.type_field + " value is not in 'types' are not elements");
        m_log.info(out.label + ": " + std::to_string(out.features.size()) + " element features");

        int kinds = source->info().geometry_kinds;
        if (kinds == 0)
            kinds = kinds_from_features(features);
        // The columns a type gets follow the configured sources, not which values occur.
        if (fixed_type >= 0)
            m_out.type_kinds[std::size_t(fixed_type)] |= kinds;
        for (const auto& kv : mapped)
            m_out.type_kinds[std::size_t(kv.second)] |= kinds;
        if (judged) {
            std::vector<std::int64_t> fids;
            for (const analysis::ElementFeature& f : out.features)
                fids.push_back(f.fid);
            out.judged = judged->for_features(fids, out.label);
        }
        m_out.request.sources.push_back(std::move(out));
    }

    /// Progress of reading the next source: an equal share of the whole per source.
    Progress next_share()
    {
        const double n = double(m_source_count);
        const double from = double(m_sources_read++) / n;
        return progress_slice(m_progress, from, from + 1.0 / n);
    }

    const Config& m_cfg;
    AreaScope m_scope;
    const LayerCopies& m_copies;
    const PatchVerdicts* m_verdicts;
    const io::Crs& m_crs;
    RunLog& m_log;
    bool m_read;
    const Progress& m_progress;
    std::size_t m_source_count = 1;
    std::size_t m_sources_read = 0;
    LoadedInputs m_out;
    BoxSet m_near_areas;
};

} // namespace

io::Crs run_crs(const Config& config)
{
    const std::string what = config.where(config.crs_line) + ": run.crs";
    io::Crs crs = io::Crs::from_user_input(config.crs, what);
    crs.require_projected_metres(what);
    return crs;
}

std::vector<fs::path> config_paths(const Config& config)
{
    std::vector<fs::path> paths{ config.file };
    for (const auto& l : config.areas.layers)
        paths.push_back(l.path);
    if (config.areas.dem) {
        paths.push_back(config.areas.dem->path);
        if (config.areas.dem->burn)
            paths.push_back(config.areas.dem->burn->path);
    }
    if (config.study_area)
        paths.push_back(config.study_area->path);
    for (const auto& m : config.masks)
        paths.push_back(m.path);
    for (const auto& e : config.elements)
        paths.push_back(e.path);
    for (const fs::path& p : { config.bid_costs, config.bid_mixes })
        if (!p.empty())
            paths.push_back(p);
    if (config.bid_regions)
        paths.push_back(config.bid_regions->path);
    if (config.bid_potential) {
        if (!config.bid_potential->path.empty())
            paths.push_back(config.bid_potential->path);
        for (const SourceConfig& src : config.bid_potential->stand_in)
            paths.push_back(src.path);
    }
    if (config.siting) {
        for (const SourceConfig& src : config.siting->along)
            paths.push_back(src.path);
        for (const SourceConfig& src : config.siting->exclude)
            paths.push_back(src.path);
    }
    if (config.monitoring)
        for (const fs::path& run : config.monitoring->runs)
            for (const char* file : { "summary.json", "areas.gpkg" }) // as run_folder_inputs
                paths.push_back(run / file);
    return paths;
}

io::VectorRequest vector_request(const SourceConfig& src)
{
    io::VectorRequest r;
    r.label = src.label;
    r.path = src.path;
    r.layer = src.layer;
    r.where = src.where;
    r.assume_crs = src.assume_crs;
    r.open_options = src.open_options;
    return r;
}

void record_files(LoadedInputs& inputs, const std::vector<std::string>& files)
{
    for (const std::string& f : files)
        if (std::find(inputs.files.begin(), inputs.files.end(), fs::path(f)) == inputs.files.end())
            inputs.files.emplace_back(f);
}

std::unique_ptr<io::VectorSource> open_recorded(const io::VectorRequest& request,
                                                const io::Crs& crs,
                                                LoadedInputs& inputs)
{
    auto source = std::make_unique<io::VectorSource>(request, crs);
    const io::VectorLayerInfo& info = source->info();
    record_files(inputs, info.files);
    if (!info.pipeline.empty())
        inputs.transforms.push_back({ request.label, info.crs, info.pipeline });
    return source;
}

LoadedInputs load_inputs(const Config& config,
                         const io::Crs& crs,
                         RunLog& log,
                         bool read_features,
                         const Progress& progress,
                         const AreaScope& scope,
                         const LayerCopies& copies,
                         const PatchVerdicts* verdicts)
{
    return Loader(config, crs, log, read_features, progress, scope, copies, verdicts).load();
}

std::vector<io::VectorRequest> vector_inputs(const Config& config)
{
    std::vector<io::VectorRequest> out;
    if (config.study_area)
        out.push_back(vector_request(*config.study_area));
    if (config.areas.method == AreasMethod::Given)
        out.push_back(vector_request(config.areas.layers.front()));
    for (const MaskConfig& m : config.masks)
        if (!m.raster())
            out.push_back(vector_request(m));
    for (const ElementConfig& e : config.elements)
        if (!e.raster())
            out.push_back(vector_request(e));
    return out;
}

LoadedInputs load_areas_only(const Config& config,
                             const io::Crs& crs,
                             RunLog& log,
                             const Progress& progress,
                             const AreaScope& scope)
{
    return Loader(config, crs, log, true, progress, scope).load_areas_only();
}

} // namespace landel::pipeline::detail

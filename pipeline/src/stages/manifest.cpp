#include "stages/manifest.h"

#include "landel/io/table_writers.h"
#include "landel/pipeline/version.h"

#include "landel/core/error.h"

#include <nlohmann/json.hpp>

#include <fstream>

namespace landel::pipeline::detail {

using nlohmann::ordered_json;

namespace {

ordered_json source_json(const analysis::SourceReport& r)
{
    ordered_json j;
    j["source"] = r.label;
    j["features"] = r.features;
    j["repaired"] = r.repaired;
    return j;
}

/// What the [dataset] preset read: which preset, which download, which state of it.
ordered_json dataset_json(const DatasetConfig& d, const LoadedInputs& inputs)
{
    ordered_json j;
    j["preset"] = d.preset_name;
    j["preset_file"] = std::filesystem::absolute(d.preset_file).lexically_normal().string();
    j["path"] = std::filesystem::absolute(d.path).lexically_normal().string();
    j["kind"] = d.kind;
    j["as_of"] = d.as_of ? ordered_json(*d.as_of) : ordered_json();
    j["state"] = d.as_of ? "the registry's state on as_of" : "the current objects";
    j["download_date"] =
      inputs.download_date.empty() ? ordered_json() : ordered_json(inputs.download_date);
    ordered_json options = ordered_json::object();
    for (const auto& [name, value] : d.options)
        options[name] = ordered_json::parse(value);
    j["options"] = options;
    ordered_json coverage = ordered_json::object();
    for (const auto& [id, share] : inputs.coverage)
        coverage[id] = share;
    j["coverage"] = coverage;
    j["coverage_min_share"] = d.coverage_min_share;
    return j;
}

/// The denominator: its definition, the words outputs use for it and its parts.
ordered_json rural_land_json(const RuralConfig& r)
{
    ordered_json j;
    j["definition"] = to_string(r.definition);
    j["label"] = r.label;
    j["approximate"] = r.approximate;
    j["roads"] = r.roads_excluded ? "built" : "rural";
    j["parts"] = r.parts;
    return j;
}

} // namespace

std::string manifest_json(const ManifestContext& c)
{
    const Config& cfg = c.config;
    const analysis::MeasureResult& res = c.result;
    ordered_json j;
    j["landel_version"] = version();
    j["config_path"] = std::filesystem::absolute(cfg.file).lexically_normal().string();
    j["run"] = { { "name", cfg.name },
                 { "crs", cfg.crs },
                 { "measurement_year",
                   cfg.measurement_year ? ordered_json(*cfg.measurement_year) : ordered_json() } };
    ordered_json milestones = ordered_json::array();
    for (const analysis::Milestone& m : cfg.milestones)
        milestones.push_back({ { "year", m.year }, { "share", m.share } });
    // What `landel compare` starts the path to the milestones from (docs/monitoring.md).
    j["targets"] = { { "baseline_year",
                       cfg.baseline_year ? ordered_json(*cfg.baseline_year) : ordered_json() },
                     { "milestones", milestones } };
    j["threads"] = c.threads;
    if (c.batch)
        j["batch"] = { { "unit", c.batch->unit }, { "fingerprint", c.batch->fingerprint } };
    if (c.scope && c.scope->outside_study_left_out)
        j["areas_outside_study"] = { { "left_out", true },
                                     { "min_part_ha", c.scope->unit_min_part_ha } };

    j["inputs"] = inputs_json(c.inputs);
    if (cfg.dataset)
        j["dataset"] = dataset_json(*cfg.dataset, c.inputs);
    j["rural_land"] = rural_land_json(cfg.rural);

    ordered_json transforms = ordered_json::array();
    for (const auto& t : c.inputs.transforms)
        transforms.push_back(
          { { "source", t.source }, { "from_crs", t.from_crs }, { "pipeline", t.pipeline } });
    j["crs_transforms"] = transforms;
    if (c.config.areas.method != AreasMethod::Given)
        j["delineation"] = { { "method", to_string(c.config.areas.method) },
                             { "notes", c.inputs.delineation_notes } };

    ordered_json repaired = ordered_json::object();
    repaired[res.areas_report.label] = res.areas_report.repaired;
    for (const auto& r : res.mask_reports)
        repaired[r.label] = r.repaired;
    for (const auto& r : res.element_reports)
        repaired[r.label] = r.repaired;
    j["repaired_geometries"] = repaired;

    ordered_json sources = ordered_json::array();
    sources.push_back(source_json(res.areas_report));
    for (const auto& r : res.mask_reports)
        sources.push_back(source_json(r));
    for (const auto& r : res.element_reports) {
        ordered_json s = source_json(r);
        if (r.patches) {
            s["patches"] = r.patches;
            s["dropped_patches"] = r.dropped_patches;
            s["dropped_patch_ha"] = r.dropped_patch_ha;
        }
        sources.push_back(s);
    }
    j["sources"] = sources;

    if (!res.analysis_grid.empty()) {
        ordered_json rasters;
        const Grid& g = res.analysis_grid;
        rasters["analysis_grid"] = { { "xmin", g.extent().xmin }, { "ymax", g.extent().ymax },
                                     { "cell_x_m", g.dx() },      { "cell_y_m", g.dy() },
                                     { "cols", g.cols() },        { "rows", g.rows() } };
        rasters["notes"] = res.raster_notes;
        rasters["warped"] = c.inputs.warped_rasters;
        ordered_json list = ordered_json::array();
        auto add = [&list](const analysis::SourceReport& r, const char* role) {
            list.push_back({ { "source", r.label },
                             { "role", role },
                             { "cells_read", r.cells_read },
                             { "valid_cells", r.valid_cells } });
        };
        for (const auto& r : res.raster_mask_reports)
            add(r, "rural.exclude");
        for (const auto& r : res.raster_element_reports)
            add(r, "elements");
        rasters["sources"] = list;
        j["rasters"] = rasters;
    }
    if (!c.monitoring.is_null())
        j["monitoring"] = c.monitoring;
    j["outputs"] = c.outputs;
    j["warnings"] = c.warnings;

    // Totals are ratios of sums, never means of shares.
    double area = 0, rural = 0, element = 0, nodata = 0;
    std::vector<double> by_type(cfg.type_order.size(), 0.0);
    for (const auto& a : res.areas) {
        area += a.area_ha;
        rural += a.rural_ha;
        element += a.element_ha;
        nodata += a.nodata_ha;
        for (std::size_t t = 0; t < by_type.size(); ++t)
            by_type[t] += a.type_ha[t];
    }
    ordered_json totals;
    totals["areas"] = res.areas.size();
    totals["area_ha"] = area;
    totals["rural_ha"] = rural;
    totals["nodata_ha"] = nodata;
    totals["element_ha"] = element;
    totals["share_pct"] =
      rural >= analysis::gap_epsilon_ha ? ordered_json(100.0 * element / rural) : ordered_json();
    for (std::size_t t = 0; t < by_type.size(); ++t)
        totals["ha_" + cfg.type_order[t]] = by_type[t];
    totals["additive"] = res.overlapping_areas.empty();
    totals["study_area_ha"] = res.study_area_ha;
    if (!c.milestones.is_null())
        totals["milestones"] = c.milestones;
    j["totals"] = totals;

    ordered_json timings = ordered_json::object();
    for (const auto& [stage, s] : c.timings_s)
        timings[stage] = s;
    j["timings_s"] = timings;
    if (!c.inputs.pieces.empty()) {
        ordered_json pieces = ordered_json::array();
        for (const LoadedInputs::PieceRead& piece : c.inputs.pieces)
            pieces.push_back({ { "areas", piece.areas },
                               { "features_read", piece.features_read },
                               { "raster_cells_read", piece.raster_cells_read },
                               { "read_s", piece.read_s } });
        j["pieces"] = pieces;
    }
    return j.dump(2) + "\n";
}

ordered_json inputs_json(const LoadedInputs& inputs)
{
    ordered_json files = ordered_json::array();
    for (const auto& f : inputs.files)
        files.push_back({ { "path", std::filesystem::absolute(f).lexically_normal().string() },
                          { "sha256", io::sha256_file(f) } });
    return files;
}

void write_summary(const std::filesystem::path& folder, const std::string& text)
{
    const std::filesystem::path path = folder / "summary.json";
    std::ofstream json(path);
    json << text;
    json.close();
    if (!json)
        throw Error("cannot write '" + path.string() + "'");
}

} // namespace landel::pipeline::detail

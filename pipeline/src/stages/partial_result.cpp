#include "stages/partial_result.h"

#include "landel/core/error.h"
#include "landel/pipeline/version.h"
#include "stages/landel_bytes.h"

#include <nlohmann/json.hpp>

namespace landel::pipeline::detail {

using nlohmann::json;

namespace {

json binary(const std::string& bytes)
{
    return json::binary(std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
}

std::string from_binary(const json& j)
{
    const auto& b = j.get_binary();
    return std::string(b.begin(), b.end());
}

json report_json(const analysis::SourceReport& r)
{
    return { { "label", r.label },
             { "features", r.features },
             { "repaired", r.repaired },
             { "patches", r.patches },
             { "dropped_patches", r.dropped_patches },
             { "dropped_patch_ha", r.dropped_patch_ha },
             { "inside_rural_land", r.inside_rural_land },
             { "cells_read", r.cells_read },
             { "valid_cells", r.valid_cells } };
}

analysis::SourceReport report_from(const json& j)
{
    analysis::SourceReport r;
    r.label = j.at("label").get<std::string>();
    r.features = j.at("features").get<std::size_t>();
    r.repaired = j.at("repaired").get<std::size_t>();
    r.patches = j.at("patches").get<std::size_t>();
    r.dropped_patches = j.at("dropped_patches").get<std::size_t>();
    r.dropped_patch_ha = j.at("dropped_patch_ha").get<double>();
    r.inside_rural_land = j.at("inside_rural_land").get<bool>();
    r.cells_read = j.at("cells_read").get<std::uint64_t>();
    r.valid_cells = j.at("valid_cells").get<std::uint64_t>();
    return r;
}

json ids_json(const std::vector<SourceIds>& ids)
{
    json a = json::array();
    for (const SourceIds& s : ids)
        a.push_back({ s.read, s.repaired });
    return a;
}

std::vector<SourceIds> ids_from(const json& j)
{
    std::vector<SourceIds> out;
    for (const auto& s : j)
        out.push_back(
          { s.at(0).get<std::vector<std::int64_t>>(), s.at(1).get<std::vector<std::int64_t>>() });
    return out;
}

json reports_json(const std::vector<analysis::SourceReport>& reports)
{
    json a = json::array();
    for (const auto& r : reports)
        a.push_back(report_json(r));
    return a;
}

std::vector<analysis::SourceReport> reports_from(const json& j)
{
    std::vector<analysis::SourceReport> out;
    for (const auto& r : j)
        out.push_back(report_from(r));
    return out;
}

json area_json(const analysis::AreaMeasure& a)
{
    json owned = json::array();
    for (const std::string& w : a.owned_wkb)
        owned.push_back(binary(w));
    return { { "id", a.id },
             { "name", a.name },
             { "cls", a.cls },
             { "area_ha", a.area_ha },
             { "rural_ha", a.rural_ha },
             { "nodata_ha", a.nodata_ha },
             { "masked_ha", a.masked_ha },
             { "excl_ha", a.excl_ha },
             { "element_ha", a.element_ha },
             { "type_ha", a.type_ha },
             { "type_length_m", a.type_length_m },
             { "type_count", a.type_count },
             { "line_ends", a.line_ends },
             { "connected_line_ends", a.connected_line_ends },
             { "target_ha", a.targets.target_ha },
             { "gap_ha", a.targets.gap_ha },
             { "share_pct", a.targets.share_pct ? json(*a.targets.share_pct) : json() },
             { "status", a.targets.status },
             { "geometry", binary(a.geometry_wkb) },
             { "rural", binary(a.rural_wkb) },
             { "owned", owned } };
}

analysis::AreaMeasure area_from(const json& j)
{
    analysis::AreaMeasure a;
    a.id = j.at("id").get<std::string>();
    a.name = j.at("name").get<std::string>();
    a.cls = j.at("cls").get<std::string>();
    a.area_ha = j.at("area_ha").get<double>();
    a.rural_ha = j.at("rural_ha").get<double>();
    a.nodata_ha = j.at("nodata_ha").get<double>();
    a.masked_ha = j.at("masked_ha").get<double>();
    a.excl_ha = j.at("excl_ha").get<std::vector<double>>();
    a.element_ha = j.at("element_ha").get<double>();
    a.type_ha = j.at("type_ha").get<std::vector<double>>();
    a.type_length_m = j.at("type_length_m").get<std::vector<double>>();
    a.type_count = j.at("type_count").get<std::vector<std::int64_t>>();
    a.line_ends = j.at("line_ends").get<std::int64_t>();
    a.connected_line_ends = j.at("connected_line_ends").get<std::int64_t>();
    a.targets.target_ha = j.at("target_ha").get<std::vector<double>>();
    a.targets.gap_ha = j.at("gap_ha").get<std::vector<double>>();
    if (!j.at("share_pct").is_null())
        a.targets.share_pct = j.at("share_pct").get<double>();
    a.targets.status = j.at("status").get<std::string>();
    a.geometry_wkb = from_binary(j.at("geometry"));
    a.rural_wkb = from_binary(j.at("rural"));
    for (const auto& w : j.at("owned"))
        a.owned_wkb.push_back(from_binary(w));
    return a;
}

json grid_json(const Grid& g)
{
    if (g.empty())
        return json();
    return { g.extent().xmin, g.extent().ymin, g.extent().xmax, g.extent().ymax, g.dx(), g.dy() };
}

Grid grid_from(const json& j)
{
    if (j.is_null())
        return {};
    const auto g = j.get<std::vector<double>>();
    return Grid(Box{ g.at(0), g.at(1), g.at(2), g.at(3) }, g.at(4), g.at(5));
}

/// The raster pass's sums across areas (raster_pass_sums.h); the density counts as binary
/// int64 in the machine's byte order (CBOR arrays of integers take up to 9 bytes a count).
json raster_sums_json(const analysis::RasterPassSums& r)
{
    const auto bytes = [](const std::vector<std::int64_t>& v) {
        return json::binary(std::vector<std::uint8_t>(
          reinterpret_cast<const std::uint8_t*>(v.data()),
          reinterpret_cast<const std::uint8_t*>(v.data()) + v.size() * sizeof(std::int64_t)));
    };
    const analysis::DensitySums& d = r.density;
    json chunks = json::array();
    for (const analysis::ChunkCells& c : r.chunks)
        chunks.push_back({ c.chunk, c.read, c.valid });
    json extents = json::array();
    for (const Box& b : r.element_extents)
        extents.push_back({ b.xmin, b.ymin, b.xmax, b.ymax });
    return { { "grid", grid_json(d.grid) },
             { "unit_m2", d.unit_m2 },
             { "window", { d.row0, d.col0, d.rows, d.cols } },
             { "element", bytes(d.element) },
             { "covered", bytes(d.covered) },
             { "chunks", chunks },
             { "coverage_passes", r.coverage_passes },
             { "element_extents", extents } };
}

analysis::RasterPassSums raster_sums_from(const json& j)
{
    const auto counts = [](const json& b, std::size_t n) {
        const auto& raw = b.get_binary();
        if (raw.size() != n * sizeof(std::int64_t))
            throw Error("density sums of the wrong size");
        std::vector<std::int64_t> v(n);
        std::copy(raw.begin(), raw.end(), reinterpret_cast<std::uint8_t*>(v.data()));
        return v;
    };
    analysis::RasterPassSums r;
    analysis::DensitySums& d = r.density;
    d.grid = grid_from(j.at("grid"));
    d.unit_m2 = j.at("unit_m2").get<double>();
    const auto w = j.at("window").get<std::vector<std::size_t>>();
    d.row0 = w.at(0);
    d.col0 = w.at(1);
    d.rows = w.at(2);
    d.cols = w.at(3);
    d.element = counts(j.at("element"), d.rows * d.cols);
    d.covered = counts(j.at("covered"), d.rows * d.cols);
    for (const auto& c : j.at("chunks"))
        r.chunks.push_back({ c.at(0).get<std::uint64_t>(),
                             c.at(1).get<std::vector<std::uint64_t>>(),
                             c.at(2).get<std::vector<std::uint64_t>>() });
    r.coverage_passes = j.at("coverage_passes").get<std::size_t>();
    for (const auto& b : j.at("element_extents"))
        r.element_extents.push_back(Box{ b.at(0).get<double>(),
                                         b.at(1).get<double>(),
                                         b.at(2).get<double>(),
                                         b.at(3).get<double>() });
    return r;
}

} // namespace

std::string to_bytes(const PartialResult& p)
{
    const analysis::MeasureResult& r = p.result;
    json areas = json::array();
    for (const auto& a : r.areas)
        areas.push_back(area_json(a));
    json transforms = json::array();
    for (const auto& t : p.inputs.transforms)
        transforms.push_back({ t.source, t.from_crs, t.pipeline });
    json files = json::array();
    for (const auto& f : p.inputs.files)
        files.push_back(f.string());
    json overlaps = json::array();
    for (const auto& [x, y] : r.overlapping_areas)
        overlaps.push_back({ x, y });
    json j = { { "landel_partial", version() },
               { "positions", p.positions },
               { "total_areas", p.total_areas },
               { "areas", areas },
               { "study_area", binary(r.study_area_wkb) },
               { "study_area_ha", r.study_area_ha },
               { "areas_report", report_json(r.areas_report) },
               { "mask_reports", reports_json(r.mask_reports) },
               { "element_reports", reports_json(r.element_reports) },
               { "raster_mask_reports", reports_json(r.raster_mask_reports) },
               { "raster_element_reports", reports_json(r.raster_element_reports) },
               { "mask_ids", ids_json(p.mask_ids) },
               { "element_ids", ids_json(p.element_ids) },
               { "features_read", p.features_read },
               { "grid", grid_json(r.analysis_grid) },
               { "raster_sums", raster_sums_json(r.raster_sums) },
               { "raster_notes", r.raster_notes },
               { "overlaps", overlaps },
               { "warnings", r.warnings },
               { "timings", p.timings },
               { "files", files },
               { "transforms", transforms },
               { "type_kinds", p.inputs.type_kinds },
               { "warped", p.inputs.warped_rasters },
               { "delineation_notes", p.inputs.delineation_notes } };
    return cbor_bytes(j);
}

PartialResult partial_from_bytes(const std::string& bytes)
{
    const json j = tagged_object(
      bytes, "landel_partial", "a partial result", "measure every piece with the same landel");
    try {
        PartialResult p;
        p.positions = j.at("positions").get<std::vector<std::size_t>>();
        p.total_areas = j.at("total_areas").get<std::size_t>();
        analysis::MeasureResult& r = p.result;
        for (const auto& a : j.at("areas"))
            r.areas.push_back(area_from(a));
        r.study_area_wkb = from_binary(j.at("study_area"));
        r.study_area_ha = j.at("study_area_ha").get<double>();
        r.areas_report = report_from(j.at("areas_report"));
        r.mask_reports = reports_from(j.at("mask_reports"));
        r.element_reports = reports_from(j.at("element_reports"));
        r.raster_mask_reports = reports_from(j.at("raster_mask_reports"));
        r.raster_element_reports = reports_from(j.at("raster_element_reports"));
        p.mask_ids = ids_from(j.at("mask_ids"));
        p.element_ids = ids_from(j.at("element_ids"));
        p.features_read = j.at("features_read").get<std::size_t>();
        r.analysis_grid = grid_from(j.at("grid"));
        r.raster_sums = raster_sums_from(j.at("raster_sums"));
        r.raster_notes = j.at("raster_notes").get<std::vector<std::string>>();
        for (const auto& o : j.at("overlaps"))
            r.overlapping_areas.emplace_back(o.at(0).get<std::string>(),
                                             o.at(1).get<std::string>());
        r.warnings = j.at("warnings").get<std::vector<std::string>>();
        p.timings = j.at("timings").get<std::vector<std::pair<std::string, double>>>();
        for (const auto& f : j.at("files"))
            p.inputs.files.emplace_back(f.get<std::string>());
        for (const auto& t : j.at("transforms"))
            p.inputs.transforms.push_back({ t.at(0).get<std::string>(),
                                            t.at(1).get<std::string>(),
                                            t.at(2).get<std::string>() });
        p.inputs.type_kinds = j.at("type_kinds").get<std::vector<int>>();
        p.inputs.warped_rasters = j.at("warped").get<std::vector<std::string>>();
        p.inputs.delineation_notes = j.at("delineation_notes").get<std::vector<std::string>>();
        if (p.positions.size() != r.areas.size())
            throw Error("its areas and positions disagree");
        return p;
    } catch (const std::exception& e) {
        throw Error(std::string("a damaged partial result of landel: ") + e.what());
    }
}

} // namespace landel::pipeline::detail

#include "stages/run_reader.h"

#include "landel/core/error.h"
#include "landel/io/dataset_contents.h"
#include "landel/io/layer_reader.h"
#include "landel/pipeline/area_schema.h"
#include "landel/pipeline/config.h"
#include "stages/measurement_reader.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <regex>

namespace landel::pipeline::detail {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string quoted(const fs::path& p)
{
    return "'" + p.string() + "'";
}

/// What a run's summary.json says about it.
void read_summary(const fs::path& folder, RunFolder& run)
{
    const fs::path path = folder / "summary.json";
    std::ifstream in(path);
    json j;
    try {
        j = json::parse(in);
    } catch (const std::exception& e) {
        throw Error(quoted(path) + ": not a landel summary (" + e.what() + ")");
    }
    if (!j.is_object() || !j.contains("landel_version"))
        throw Error(quoted(path) + ": not a landel summary (no landel_version)");
    try {
        if (j.contains("command"))
            throw Error(quoted(folder) + " is the output of landel " +
                        j.at("command").get<std::string>() + ", not of landel run");
        run.landel_version = j.at("landel_version").get<std::string>();
        const json& r = j.at("run");
        run.crs = r.at("crs").get<std::string>();
        const json* dataset = j.contains("dataset") ? &j.at("dataset") : nullptr;
        if (dataset && dataset->contains("as_of") && !dataset->at("as_of").is_null())
            run.as_of = dataset->at("as_of").get<std::string>();
        if (r.contains("measurement_year") && !r.at("measurement_year").is_null())
            run.year = r.at("measurement_year").get<int>();
        else if (run.as_of && run.as_of->size() >= 4)
            run.year = std::stoi(run.as_of->substr(0, 4));
        else
            throw Error(quoted(folder) +
                        ": no measurement year (run.measurement_year is not set and the run "
                        "has no dataset.as_of): set run.measurement_year and rerun it");
        if (j.contains("targets") && !j.at("targets").at("baseline_year").is_null())
            run.baseline_year = j.at("targets").at("baseline_year").get<int>();
        for (const json& w : j.value("warnings", json::array()))
            if (w.is_string() && w.get<std::string>().find("cover less than") != std::string::npos)
                run.incomplete_registry = true;
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(quoted(path) + ": not a landel run's summary (" + e.what() + ")");
    }
}

/// The layers of the run's areas.gpkg; an error naming the layer a comparison needs and the
/// run lacks.
void check_layers(const fs::path& folder, const fs::path& gpkg, const std::string& version)
{
    const io::DatasetContents contents = io::inspect_dataset(gpkg, "run " + quoted(folder));
    if (contents.kind != io::DatasetKind::Vector)
        throw Error(quoted(gpkg) + " is not a GeoPackage");
    const auto& layers = contents.members;
    for (const char* layer : { "areas", "elements", "rural_land" })
        if (std::find(layers.begin(), layers.end(), layer) == layers.end())
            throw Error(quoted(gpkg) + " has no layer '" + layer +
                        "': the run was made by an older landel (" + version +
                        ") or is not a run's; rerun it");
}

/// The types: the ha_<type> columns of `areas`, in column order (types.order).
std::vector<std::string> column_types(const Table& areas)
{
    std::vector<std::string> types;
    for (const Column& c : areas.columns)
        if (c.name.size() > 3 && c.name.compare(0, 3, "ha_") == 0)
            types.push_back(c.name.substr(3));
    return types;
}

double number(const Cell& c)
{
    if (const auto* d = std::get_if<double>(&c))
        return *d;
    if (const auto* i = std::get_if<std::int64_t>(&c))
        return double(*i);
    return std::nan("");
}

/// The milestones from the target_<year>_ha columns of the area with the most rural land:
/// the target is share × rural_ha, so share = target / rural_ha, rounded to 9 decimals to
/// undo the round-off of that product.
std::vector<analysis::Milestone> column_milestones(const Table& areas)
{
    const std::size_t rural = areas.column_index("rural_ha");
    std::size_t best = areas.rows.size();
    double most = analysis::gap_epsilon_ha;
    for (std::size_t r = 0; r < areas.rows.size(); ++r) {
        const double ha = number(areas.rows[r][rural]);
        if (ha >= most) {
            most = ha;
            best = r;
        }
    }
    std::vector<analysis::Milestone> out;
    if (best == areas.rows.size())
        return out;
    const std::regex target("target_([0-9]{4})_ha");
    for (std::size_t c = 0; c < areas.columns.size(); ++c) {
        std::smatch m;
        if (!std::regex_match(areas.columns[c].name, m, target))
            continue;
        const double share = number(areas.rows[best][c]) / most;
        if (std::isfinite(share))
            out.push_back({ std::stoi(m[1].str()), std::round(share * 1e9) / 1e9 });
    }
    return out;
}

/// The columns the figures are read from must all be there.
void check_columns(const fs::path& gpkg, const Table& areas, const std::vector<std::string>& types)
{
    if (types.empty())
        throw Error(quoted(gpkg) + " layer 'areas' has no ha_<type> column: not a run's areas");
    for (const AreaColumn& c : area_columns({ types, {}, {}, {} }))
        if (c.read && !c.source_kind && areas.column_index(c.column.name) == areas.columns.size())
            throw Error(quoted(gpkg) + " layer 'areas' has no column '" + c.column.name +
                        "': not a run's areas, or made by an older landel; rerun it");
}

} // namespace

RunFolder read_run_folder(const fs::path& folder)
{
    RunFolder run;
    run.folder = folder;
    if (!fs::is_directory(folder))
        throw Error(quoted(folder) + " is not a folder (give the output folders of landel run)");
    if (!fs::is_regular_file(folder / "summary.json"))
        throw Error(quoted(folder) +
                    " is not a landel run's output folder: it has no summary.json");
    if (!fs::is_regular_file(folder / "areas.gpkg"))
        throw Error(quoted(folder) + " is not a landel run's output folder: it has no areas.gpkg");
    read_summary(folder, run);
    read_run_areas(folder / "areas.gpkg", run);
    return run;
}

void read_run_areas(const fs::path& gpkg, RunFolder& run)
{
    check_layers(run.folder, gpkg, run.landel_version);
    const Table areas = io::read_layer_table(gpkg, "areas");
    run.types = column_types(areas);
    check_columns(gpkg, areas, run.types);
    run.milestones = column_milestones(areas);
    Config config;
    config.type_order = run.types;
    config.milestones = run.milestones.empty() ? default_milestones() : run.milestones;
    std::vector<int> type_kinds;
    analysis::MeasureResult result = read_measurement(config, gpkg, areas, type_kinds);
    for (const analysis::AreaMeasure& a : result.areas)
        if (a.rural_wkb.empty())
            throw Error(quoted(gpkg) + " layer 'rural_land' has no row for area '" + a.id +
                        "'; rerun the run");
    run.areas = std::move(result.areas);
}

std::vector<fs::path> run_folder_inputs(const fs::path& folder)
{
    return { folder / "summary.json", folder / "areas.gpkg" };
}

} // namespace landel::pipeline::detail

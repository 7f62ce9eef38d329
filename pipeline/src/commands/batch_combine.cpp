#include "commands/batch_combine.h"

#include "landel/analysis/measurement/targets.h"
#include "landel/bid/regional_gap.h"
#include "landel/core/error.h"
#include "landel/io/catalogue_csv.h"
#include "landel/io/layer_reader.h"
#include "landel/io/qgis_styles.h"
#include "landel/io/table_writers.h"
#include "stages/qgis_outputs.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <unistd.h>

namespace landel::pipeline::detail {

namespace fs = std::filesystem;

namespace {

/// Columns of several tables united in order of first appearance, after a leading `unit`.
class ColumnUnion
{
public:
    ColumnUnion() { add(Column{ "unit", ColumnKind::Text, 0, "Unit" }); }

    /// The position of each of @p columns in the union (adding the new ones).
    std::vector<std::size_t> add_all(const std::vector<Column>& columns)
    {
        std::vector<std::size_t> at;
        for (const Column& c : columns)
            at.push_back(add(c));
        return at;
    }

    const std::vector<Column>& columns() const { return m_columns; }

private:
    std::size_t add(const Column& c)
    {
        const auto [it, fresh] = m_index.emplace(c.name, m_columns.size());
        if (fresh)
            m_columns.push_back(c);
        return it->second;
    }

    std::vector<Column> m_columns;
    std::map<std::string, std::size_t> m_index;
};

Table combined_csv(const std::vector<CompleteUnit>& units)
{
    ColumnUnion names;
    std::vector<std::vector<Cell>> rows;
    for (const CompleteUnit& unit : units) {
        const std::vector<std::vector<std::string>> csv =
          io::read_csv_rows(unit.folder / "area_bid.csv");
        if (csv.empty())
            throw Error("'" + (unit.folder / "area_bid.csv").string() + "' is empty");
        std::vector<Column> header;
        for (const std::string& name : csv.front())
            header.push_back(Column{ name, ColumnKind::Text, 0, "" });
        const std::vector<std::size_t> at = names.add_all(header);
        for (std::size_t r = 1; r < csv.size(); ++r) {
            std::vector<Cell> row(1, unit.name);
            for (std::size_t c = 0; c < csv[r].size() && c < at.size(); ++c) {
                if (row.size() <= at[c])
                    row.resize(at[c] + 1);
                if (!csv[r][c].empty())
                    row[at[c]] = csv[r][c];
            }
            rows.push_back(std::move(row));
        }
    }
    Table table;
    table.columns = names.columns();
    for (auto& row : rows)
        row.resize(table.columns.size());
    table.rows = std::move(rows);
    return table;
}

Table combined_layer(const std::vector<CompleteUnit>& units, const std::string& layer)
{
    ColumnUnion names;
    Table table;
    for (const CompleteUnit& unit : units) {
        const Table part = io::read_layer_table(unit.folder / "areas.gpkg", layer);
        const std::vector<std::size_t> at = names.add_all(part.columns);
        for (std::size_t r = 0; r < part.rows.size(); ++r) {
            std::vector<Cell> row(1, unit.name);
            for (std::size_t c = 0; c < at.size(); ++c) {
                if (row.size() <= at[c])
                    row.resize(at[c] + 1);
                row[at[c]] = part.rows[r][c];
            }
            table.rows.push_back(std::move(row));
            table.geometry_wkb.push_back(r < part.geometry_wkb.size() ? part.geometry_wkb[r]
                                                                      : std::string());
        }
    }
    table.columns = names.columns();
    for (auto& row : table.rows)
        row.resize(table.columns.size());
    return table;
}

/// The totals of a unit's summary.json.
nlohmann::json unit_totals(const CompleteUnit& unit)
{
    const fs::path path = unit.folder / "summary.json";
    std::ifstream in(path);
    try {
        return nlohmann::json::parse(in).at("totals");
    } catch (const std::exception& e) {
        throw Error("'" + path.string() + "': not a landel summary: " + e.what());
    }
}

/// The totals of milestone @p year in a unit's summary totals, or nullptr (a unit without
/// that milestone, or written before landel reported milestone totals).
const nlohmann::json* unit_milestone(const nlohmann::json& totals, int year)
{
    const auto list = totals.find("milestones");
    if (list == totals.end())
        return nullptr;
    for (const nlohmann::json& m : *list)
        if (m.at("year").get<int>() == year)
            return &m;
    return nullptr;
}

/// The `units` layer: each unit's study area with the totals of its summary.json, and per
/// milestone the sum of its areas' gaps beside its regional gap.
Table units_layer(const std::vector<CompleteUnit>& units,
                  const std::vector<nlohmann::json>& totals,
                  const Config& config)
{
    Table table;
    table.columns = { Column{ "unit", ColumnKind::Text, 0, "Unit" },
                      Column{ "areas", ColumnKind::Integer, 0, "Number of areas" },
                      Column{ "area_ha", ColumnKind::Real, 6, "Area (ha)" },
                      Column{ "rural_ha", ColumnKind::Real, 6, "Rural land (ha)" },
                      Column{ "element_ha", ColumnKind::Real, 6, "Landscape elements (ha)" },
                      Column{
                        "share_pct", ColumnKind::Real, 6, "Element share of rural land (%)" } };
    for (const auto& m : config.milestones) {
        const std::string y = std::to_string(m.year);
        table.columns.push_back(Column{
          "area_gaps_" + y + "_ha", ColumnKind::Real, 6, "Sum of the areas' gaps " + y + " (ha)" });
        table.columns.push_back(Column{
          "regional_gap_" + y + "_ha", ColumnKind::Real, 6, "Regional gap " + y + " (ha)" });
    }
    for (std::size_t k = 0; k < units.size(); ++k) {
        const CompleteUnit& u = units[k];
        const nlohmann::json& t = totals[k];
        std::vector<Cell> row{ Cell(u.name), Cell(std::int64_t(t.at("areas").get<long long>())) };
        for (const char* key : { "area_ha", "rural_ha", "element_ha", "share_pct" }) {
            const nlohmann::json& v = t.at(key);
            row.push_back(v.is_number() ? Cell(v.get<double>()) : Cell());
        }
        for (const auto& m : config.milestones) {
            const nlohmann::json* ms = unit_milestone(t, m.year);
            row.push_back(ms ? Cell(ms->at("area_gaps_ha").get<double>()) : Cell());
            row.push_back(ms ? Cell(ms->at("regional_gap_ha").get<double>()) : Cell());
        }
        // The outline of the unit (its study_area layer), one row per part.
        const Table outline = io::read_layer_table(u.folder / "areas.gpkg", "study_area");
        for (const std::string& wkb : outline.geometry_wkb) {
            table.rows.push_back(row);
            table.geometry_wkb.push_back(wkb);
        }
    }
    return table;
}

/// batch_gaps.csv: per milestone each unit's gaps and the whole batch's — the sum of the
/// areas' gaps and the regional gap max(0, sum of targets - sum of elements), for the batch
/// over all its units' areas (docs/bid.md, "Regional accounting").
Table batch_gaps(const std::vector<CompleteUnit>& units,
                 const std::vector<nlohmann::json>& totals,
                 const Config& config)
{
    Table table;
    table.columns = { Column{ "unit", ColumnKind::Text, 0, "Unit ('*': the whole batch)" },
                      Column{ "year", ColumnKind::Integer, 0, "Milestone" },
                      Column{ "target_ha", ColumnKind::Real, 6, "Sum of the targets (ha)" },
                      Column{ "element_ha", ColumnKind::Real, 6, "Landscape elements (ha)" },
                      Column{ "area_gaps_ha", ColumnKind::Real, 6, "Sum of the areas' gaps (ha)" },
                      Column{ "regional_gap_ha", ColumnKind::Real, 6, "Regional gap (ha)" } };
    const std::size_t n = config.milestones.size();
    std::vector<double> target(n, 0.0), area_gaps(n, 0.0);
    double elements = 0.0;
    for (std::size_t k = 0; k < units.size(); ++k) {
        const double element_ha = totals[k].at("element_ha").get<double>();
        elements += element_ha;
        for (std::size_t m = 0; m < n; ++m)
            if (const nlohmann::json* ms = unit_milestone(totals[k], config.milestones[m].year)) {
                target[m] += ms->at("target_ha").get<double>();
                area_gaps[m] += ms->at("area_gaps_ha").get<double>();
                table.rows.push_back({ Cell(units[k].name),
                                       Cell(std::int64_t(config.milestones[m].year)),
                                       Cell(ms->at("target_ha").get<double>()),
                                       Cell(element_ha),
                                       Cell(ms->at("area_gaps_ha").get<double>()),
                                       Cell(ms->at("regional_gap_ha").get<double>()) });
            }
    }
    for (std::size_t m = 0; m < n; ++m) {
        const double regional = bid::regional_gap(target[m], elements, analysis::gap_epsilon_ha);
        table.rows.push_back({ Cell(std::string("*")),
                               Cell(std::int64_t(config.milestones[m].year)),
                               Cell(target[m]),
                               Cell(elements),
                               Cell(area_gaps[m]),
                               Cell(regional) });
    }
    return table;
}

/// Writes into `<final>.tmp-<pid>` and renames it into place.
template<class Write>
void write_replacing(const fs::path& final_path, Write&& write)
{
    const fs::path tmp = final_path.parent_path() /
                         (final_path.filename().string() + ".tmp-" + std::to_string(::getpid()));
    std::error_code ec;
    fs::remove(tmp, ec);
    try {
        write(tmp);
    } catch (...) {
        fs::remove(tmp, ec);
        throw;
    }
    fs::rename(tmp, final_path, ec);
    if (ec) {
        fs::remove(tmp, ec);
        throw Error("cannot move '" + tmp.string() + "' into place: " + ec.message());
    }
}

} // namespace

void write_combined(const fs::path& out,
                    const std::vector<CompleteUnit>& units,
                    const Config& config,
                    const io::Crs& crs)
{
    const Table csv = combined_csv(units);
    const Table areas = combined_layer(units, "areas");
    std::vector<nlohmann::json> totals; // each unit's summary.json read once
    for (const CompleteUnit& u : units)
        totals.push_back(unit_totals(u));
    const Table unit_rows = units_layer(units, totals, config);
    const Table gaps = batch_gaps(units, totals, config);
    write_replacing(out / "area_bid.csv", [&](const fs::path& p) { io::write_csv(p, csv); });
    write_replacing(out / "batch_gaps.csv", [&](const fs::path& p) { io::write_csv(p, gaps); });
    write_replacing(out / "areas.gpkg", [&](const fs::path& p) {
        io::GeoPackageWriter gpkg(p, crs);
        gpkg.add_layer(
          "areas", "The areas of every unit with their landscape elements, targets and bid", areas);
        gpkg.add_layer("units", "The units of the batch with their totals", unit_rows);
        style_batch_layers(gpkg, config);
        gpkg.close();
    });
}

} // namespace landel::pipeline::detail

#include "commands/batch_combine.h"

#include "landel/core/error.h"
#include "landel/io/catalogue_csv.h"
#include "landel/io/layer_reader.h"
#include "landel/io/qgis_styles.h"
#include "landel/io/table_writers.h"
#include "stages/qgis_outputs.h"

#include <nlohmann/json.hpp>

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

/// The `units` layer: each unit's study area with the totals of its summary.json.
Table units_layer(const std::vector<CompleteUnit>& units)
{
    // The outline of each unit (its study_area layer) with the totals of its summary.json.
    Table table;
    table.columns = { Column{ "unit", ColumnKind::Text, 0, "Unit" },
                      Column{ "areas", ColumnKind::Integer, 0, "Number of areas" },
                      Column{ "area_ha", ColumnKind::Real, 6, "Area (ha)" },
                      Column{ "rural_ha", ColumnKind::Real, 6, "Rural land (ha)" },
                      Column{ "element_ha", ColumnKind::Real, 6, "Landscape elements (ha)" },
                      Column{
                        "share_pct", ColumnKind::Real, 6, "Element share of rural land (%)" } };
    for (const CompleteUnit& u : units) {
        const Table outline = io::read_layer_table(u.folder / "areas.gpkg", "study_area");
        for (const std::string& wkb : outline.geometry_wkb) {
            table.rows.push_back({ Cell(u.name) });
            table.geometry_wkb.push_back(wkb);
        }
    }
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const std::string& unit = std::get<std::string>(table.rows[r][0]);
        const CompleteUnit* u = nullptr;
        for (const CompleteUnit& c : units)
            if (c.name == unit)
                u = &c;
        const fs::path path = u->folder / "summary.json";
        std::ifstream in(path);
        nlohmann::json summary;
        try {
            summary = nlohmann::json::parse(in);
        } catch (const std::exception& e) {
            throw Error("'" + path.string() + "': not a landel summary: " + e.what());
        }
        const nlohmann::json& t = summary.at("totals");
        table.rows[r].push_back(Cell(std::int64_t(t.at("areas").get<long long>())));
        for (const char* key : { "area_ha", "rural_ha", "element_ha", "share_pct" }) {
            const nlohmann::json& v = t.at(key);
            table.rows[r].push_back(v.is_number() ? Cell(v.get<double>()) : Cell());
        }
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
    const Table unit_rows = units_layer(units);
    write_replacing(out / "area_bid.csv", [&](const fs::path& p) { io::write_csv(p, csv); });
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

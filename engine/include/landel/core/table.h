#pragma once
/// @file table.h
/// A small typed table: what writers (CSV, GeoPackage) receive from the pipeline.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace landel {

enum class ColumnKind
{
    Text,
    Real,
    Integer
};

struct Column
{
    std::string name;
    ColumnKind kind = ColumnKind::Real;
    int decimals = 6;  ///< Real columns in text output
    std::string alias; ///< plain-words title (GeoPackage alternative name)
};

/// An empty cell (std::monostate) is written as an empty CSV field and a NULL field.
using Cell = std::variant<std::monostate, std::string, double, std::int64_t>;

struct Table
{
    std::vector<Column> columns;
    std::vector<std::vector<Cell>> rows;
    std::vector<std::string> geometry_wkb; ///< per row, or empty for a table without geometry

    std::size_t column_index(const std::string& name) const
    {
        for (std::size_t i = 0; i < columns.size(); ++i)
            if (columns[i].name == name)
                return i;
        return columns.size();
    }
};

} // namespace landel

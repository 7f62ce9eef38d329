#pragma once
/// @file table_writers.h
/// Writing tables to CSV and GeoPackage.

#include "landel/core/table.h"
#include "landel/io/crs.h"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace landel::io {

/// Writes @p table as RFC 4180 CSV (comma, header, '\n' line ends, '.' decimals, Real columns
/// with their fixed decimals, empty cells as empty fields). Throws IoError naming the path.
void write_csv(const std::filesystem::path& path, const Table& table);

/// A GeoPackage being written (created new; fails when it exists).
class GeoPackageWriter
{
public:
    GeoPackageWriter(const std::filesystem::path& path, const Crs& crs);
    ~GeoPackageWriter();
    GeoPackageWriter(const GeoPackageWriter&) = delete;
    GeoPackageWriter& operator=(const GeoPackageWriter&) = delete;

    /// Adds a MultiPolygon layer holding @p table (geometry_wkb per row; an empty string is a
    /// NULL geometry). Column aliases become field alternative names (GDAL 3.6 does not store
    /// them in a GeoPackage: give them to the layer's style, LayerStyle::aliases).
    void add_layer(const std::string& name, const std::string& description, const Table& table);

    /// The (column, alias) pairs of layer @p name as added, columns without an alias left out.
    std::vector<std::pair<std::string, std::string>> aliases(const std::string& name) const;

    /// Stores @p qml as the default QGIS style of layer @p layer in the `layer_styles` table
    /// (created as QGIS does on first use), so QGIS opens the layer styled.
    void add_style(const std::string& layer,
                   const std::string& style_name,
                   const std::string& qml,
                   const std::string& description);

    /// Closes the file, flushing everything; throws IoError if that fails.
    void close();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// SHA-256 of a file's bytes, as 64 lowercase hex digits. Throws IoError naming the path.
std::string sha256_file(const std::filesystem::path& path);

/// SHA-256 of @p bytes, as 64 lowercase hex digits.
std::string sha256_text(std::string_view bytes);

} // namespace landel::io

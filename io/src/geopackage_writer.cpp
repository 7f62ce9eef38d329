#include "gdal_errors.h"
#include "landel/io/error.h"
#include "landel/io/table_writers.h"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <map>

namespace landel::io {

struct GeoPackageWriter::Impl
{
    std::filesystem::path path;
    Crs crs;
    GDALDatasetUniquePtr dataset;
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> aliases;

    [[noreturn]] void fail(const std::string& what, const GdalErrorCollector& errors) const
    {
        throw IoError("cannot write '" + path.string() + "': " + what +
                      (errors.failed() ? ": " + errors.failure() : std::string()));
    }
};

GeoPackageWriter::GeoPackageWriter(const std::filesystem::path& path, const Crs& crs)
  : m_impl(std::make_unique<Impl>(Impl{ path, crs, nullptr }))
{
    initialise_gdal();
    GdalErrorCollector errors;
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!driver)
        m_impl->fail("GDAL has no GPKG driver", errors);
    m_impl->dataset.reset(driver->Create(path.string().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!m_impl->dataset)
        m_impl->fail("cannot create the GeoPackage", errors);
}

GeoPackageWriter::~GeoPackageWriter()
{
    // Closing after a failure (say, a full disk) makes the driver report more errors; the
    // failure itself was already thrown with GDAL's words, so these are not printed.
    if (m_impl && m_impl->dataset) {
        GdalErrorCollector quiet;
        m_impl->dataset.reset();
    }
}

void GeoPackageWriter::add_layer(const std::string& name,
                                 const std::string& description,
                                 const Table& table)
{
    Impl& d = *m_impl;
    GdalErrorCollector errors;
    const std::string desc = "DESCRIPTION=" + description;
    const char* options[] = {
        "GEOMETRY_NAME=geom", "FID=fid", "SPATIAL_INDEX=YES", desc.c_str(), nullptr
    };
    OGRSpatialReference srs(d.crs.srs());
    OGRLayer* layer =
      d.dataset->CreateLayer(name.c_str(), &srs, wkbMultiPolygon, const_cast<char**>(options));
    if (!layer)
        d.fail("cannot create layer '" + name + "'", errors);
    for (const Column& c : table.columns) {
        const OGRFieldType type = c.kind == ColumnKind::Text      ? OFTString
                                  : c.kind == ColumnKind::Integer ? OFTInteger64
                                                                  : OFTReal;
        OGRFieldDefn field(c.name.c_str(), type);
        if (!c.alias.empty()) {
            field.SetAlternativeName(c.alias.c_str());
            d.aliases[name].emplace_back(c.name, c.alias);
        }
        if (layer->CreateField(&field) != OGRERR_NONE)
            d.fail("cannot create field '" + c.name + "' in layer '" + name + "'", errors);
    }

    if (d.dataset->StartTransaction() != OGRERR_NONE)
        d.fail("cannot start a transaction", errors);
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(defn));
        for (std::size_t c = 0; c < table.columns.size(); ++c) {
            const Cell& cell = table.rows[r][c];
            const int idx = static_cast<int>(c);
            if (const auto* s = std::get_if<std::string>(&cell))
                f->SetField(idx, s->c_str());
            else if (const auto* v = std::get_if<double>(&cell))
                f->SetField(idx, *v);
            else if (const auto* i = std::get_if<std::int64_t>(&cell))
                f->SetField(idx, static_cast<GIntBig>(*i));
            else
                f->SetFieldNull(idx);
        }
        if (r < table.geometry_wkb.size() && !table.geometry_wkb[r].empty()) {
            OGRGeometry* g = nullptr;
            const std::string& wkb = table.geometry_wkb[r];
            if (OGRGeometryFactory::createFromWkb(wkb.data(), &srs, &g, wkb.size()) != OGRERR_NONE)
                d.fail("invalid geometry in row " + std::to_string(r) + " of '" + name + "'",
                       errors);
            std::unique_ptr<OGRGeometry> geom(g);
            if (wkbFlatten(geom->getGeometryType()) == wkbPolygon)
                geom.reset(OGRGeometryFactory::forceToMultiPolygon(geom.release()));
            f->SetGeometryDirectly(geom.release());
        }
        if (layer->CreateFeature(f.get()) != OGRERR_NONE)
            d.fail("cannot write a feature to layer '" + name + "'", errors);
    }
    if (d.dataset->CommitTransaction() != OGRERR_NONE)
        d.fail("cannot commit layer '" + name + "'", errors);
}

std::vector<std::pair<std::string, std::string>> GeoPackageWriter::aliases(
  const std::string& name) const
{
    const auto it = m_impl->aliases.find(name);
    return it == m_impl->aliases.end() ? std::vector<std::pair<std::string, std::string>>()
                                       : it->second;
}

void GeoPackageWriter::add_style(const std::string& layer_name,
                                 const std::string& style_name,
                                 const std::string& qml,
                                 const std::string& description)
{
    Impl& d = *m_impl;
    GdalErrorCollector errors;
    OGRLayer* styles = d.dataset->GetLayerByName("layer_styles");
    if (!styles) {
        // The columns QGIS creates and reads (QgsOgrProvider's saveStyle for GeoPackage).
        const char* options[] = { "FID=id", "DESCRIPTION=QGIS layer styles", nullptr };
        styles =
          d.dataset->CreateLayer("layer_styles", nullptr, wkbNone, const_cast<char**>(options));
        if (!styles)
            d.fail("cannot create table 'layer_styles'", errors);
        const std::pair<const char*, OGRFieldType> fields[] = {
            { "f_table_catalog", OFTString },
            { "f_table_schema", OFTString },
            { "f_table_name", OFTString },
            { "f_geometry_column", OFTString },
            { "styleName", OFTString },
            { "styleQML", OFTString },
            { "styleSLD", OFTString },
            { "useAsDefault", OFTInteger },
            { "description", OFTString },
            { "owner", OFTString },
            { "ui", OFTString },
            { "update_time", OFTDateTime },
        };
        for (const auto& [name, type] : fields) {
            OGRFieldDefn field(name, type);
            if (std::string(name) == "useAsDefault")
                field.SetSubType(OFSTBoolean);
            if (styles->CreateField(&field) != OGRERR_NONE)
                d.fail(std::string("cannot create field '") + name + "' in 'layer_styles'", errors);
        }
    }
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(styles->GetLayerDefn()));
    f->SetField("f_table_catalog", "");
    f->SetField("f_table_schema", "");
    f->SetField("f_table_name", layer_name.c_str());
    f->SetField("f_geometry_column", "geom");
    f->SetField("styleName", style_name.c_str());
    f->SetField("styleQML", qml.c_str());
    f->SetField("styleSLD", "");
    f->SetField("useAsDefault", 1);
    f->SetField("description", description.c_str());
    f->SetField("owner", "landel");
    f->SetFieldNull(f->GetFieldIndex("ui"));
    f->SetFieldNull(f->GetFieldIndex("update_time"));
    if (styles->CreateFeature(f.get()) != OGRERR_NONE)
        d.fail("cannot store the style of layer '" + layer_name + "'", errors);
}

void GeoPackageWriter::close()
{
    GdalErrorCollector errors;
    if (m_impl->dataset) {
        // FlushCache reports write errors (e.g. a full disk) that GDALClose (void in 3.6) hides.
        m_impl->dataset->FlushCache(true);
        GDALClose(GDALDataset::ToHandle(m_impl->dataset.release()));
        if (errors.failed())
            m_impl->fail("closing failed", errors);
    }
}

} // namespace landel::io

#include "landel/io/layer_reader.h"

#include "gdal_errors.h"
#include "landel/io/error.h"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

namespace landel::io {

Table read_layer_table(const std::filesystem::path& path, const std::string& layer_name)
{
    initialise_gdal();
    GdalErrorCollector errors;
    const char* drivers[] = { "GPKG", nullptr };
    GDALDatasetUniquePtr ds(GDALDataset::Open(
      path.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr));
    if (!ds)
        throw IoError("'" + path.string() + "': cannot be opened as a GeoPackage" +
                      (errors.failed() ? ": " + errors.failure() : std::string()));
    OGRLayer* layer = ds->GetLayerByName(layer_name.c_str());
    if (!layer)
        throw IoError("'" + path.string() + "': no layer '" + layer_name + "'");
    Table t;
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        const OGRFieldDefn* f = defn->GetFieldDefn(i);
        Column c;
        c.name = f->GetNameRef();
        c.alias = f->GetAlternativeNameRef() ? f->GetAlternativeNameRef() : "";
        switch (f->GetType()) {
            case OFTInteger:
            case OFTInteger64:
                c.kind = ColumnKind::Integer;
                c.decimals = 0;
                break;
            case OFTReal:
                c.kind = ColumnKind::Real;
                c.decimals = 6;
                break;
            default:
                c.kind = ColumnKind::Text;
                c.decimals = 0;
        }
        t.columns.push_back(c);
    }
    layer->ResetReading();
    for (auto& feature : *layer) {
        std::vector<Cell> row;
        for (int i = 0; i < defn->GetFieldCount(); ++i) {
            if (!feature->IsFieldSetAndNotNull(i)) {
                row.emplace_back();
                continue;
            }
            switch (t.columns[std::size_t(i)].kind) {
                case ColumnKind::Integer:
                    row.emplace_back(std::int64_t(feature->GetFieldAsInteger64(i)));
                    break;
                case ColumnKind::Real:
                    row.emplace_back(feature->GetFieldAsDouble(i));
                    break;
                default:
                    row.emplace_back(std::string(feature->GetFieldAsString(i)));
            }
        }
        t.rows.push_back(std::move(row));
        std::string wkb;
        if (const OGRGeometry* g = feature->GetGeometryRef()) {
            wkb.resize(std::size_t(g->WkbSize()));
            g->exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(wkb.data()), wkbVariantIso);
        }
        t.geometry_wkb.push_back(std::move(wkb));
    }
    if (errors.failed())
        throw IoError("'" + path.string() + "' layer '" + layer_name + "': " + errors.failure());
    return t;
}

} // namespace landel::io

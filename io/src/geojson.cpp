#include "landel/io/geojson.h"

#include "cpl_text.h"
#include "gdal_errors.h"
#include "landel/io/error.h"

#include <ogr_api.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include <memory>

namespace landel::io {

std::string geojson_wgs84(const std::vector<std::string>& wkb,
                          const std::vector<std::string>& properties_json,
                          const Crs& crs,
                          double simplify_m)
{
    initialise_gdal();
    GdalErrorCollector errors;
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference source(crs.srs());
    source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> to_wgs84(
      OGRCreateCoordinateTransformation(&source, &wgs84));
    if (!to_wgs84)
        throw IoError("cannot transform " + crs.describe() + " to WGS 84 for the report's map" +
                      (errors.failed() ? ": " + errors.failure() : std::string()));
    const char* options[] = { "COORDINATE_PRECISION=6", nullptr };
    std::string out = "{\"type\":\"FeatureCollection\",\"features\":[";
    bool first = true;
    for (std::size_t i = 0; i < wkb.size(); ++i) {
        if (wkb[i].empty())
            continue;
        OGRGeometry* raw = nullptr;
        if (OGRGeometryFactory::createFromWkb(wkb[i].data(), nullptr, &raw, wkb[i].size()) !=
            OGRERR_NONE)
            continue;
        std::unique_ptr<OGRGeometry> g(raw);
        if (simplify_m > 0)
            if (OGRGeometry* s = g->SimplifyPreserveTopology(simplify_m))
                g.reset(s);
        if (g->IsEmpty() || g->transform(to_wgs84.get()) != OGRERR_NONE)
            continue;
        const CplText json(
          OGR_G_ExportToJsonEx(OGRGeometry::ToHandle(g.get()), const_cast<char**>(options)));
        if (!json)
            continue;
        out += (first ? "" : ",") + std::string("{\"type\":\"Feature\",\"properties\":") +
               (i < properties_json.size() ? properties_json[i] : "{}") +
               ",\"geometry\":" + json.get() + "}";
        first = false;
    }
    return out + "]}";
}

} // namespace landel::io

#include "landel/io/vector_source.h"

#include "crs_transform.h"
#include "gdal_errors.h"
#include "geometry_kinds.h"
#include "landel/core/text.h"
#include "landel/io/error.h"
#include "layer_cache_impl.h"
#include "vector_source_impl.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace landel::io {

namespace {

/// Finds any NaN or infinite coordinate.
class FiniteCheck : public OGRDefaultConstGeometryVisitor
{
public:
    using OGRDefaultConstGeometryVisitor::visit;
    // Points met while iterating a curve report IsEmpty() unreliably, so only the values count
    // (empty geometries are skipped before this check).
    void visit(const OGRPoint* p) override
    {
        if (!std::isfinite(p->getX()) || !std::isfinite(p->getY()))
            finite = false;
    }
    bool finite = true;
};

bool member_exists(const std::string& virtual_path)
{
    VSIStatBufL stat;
    return VSIStatL(virtual_path.c_str(), &stat) == 0;
}

} // namespace

int kinds_of(OGRwkbGeometryType type)
{
    switch (wkbFlatten(type)) {
        case wkbPoint:
        case wkbMultiPoint:
            return kind_points;
        case wkbLineString:
        case wkbMultiLineString:
        case wkbCircularString:
        case wkbCompoundCurve:
        case wkbMultiCurve:
            return kind_lines;
        case wkbPolygon:
        case wkbMultiPolygon:
        case wkbCurvePolygon:
        case wkbMultiSurface:
        case wkbTriangle:
        case wkbTIN:
        case wkbPolyhedralSurface:
            return kind_polygons;
        default:
            return 0;
    }
}

std::optional<std::filesystem::path> archive_of(const std::filesystem::path& path)
{
    const std::string text = path.string();
    const std::string prefix = "/vsizip/";
    if (text.rfind(prefix, 0) != 0)
        return std::nullopt;
    // /vsizip//abs/file.zip/member or /vsizip/rel/file.zip/member: the archive ends at ".zip/".
    const std::string lower = ascii_lower(text);
    const std::size_t end = lower.find(".zip/", prefix.size());
    if (end == std::string::npos)
        return std::filesystem::path(text.substr(prefix.size()));
    return std::filesystem::path(text.substr(prefix.size(), end + 4 - prefix.size()));
}

void open_layer(VectorSource::Impl& d)
{
    const VectorRequest& request = d.request;
    if (request.copy) {
        // Made from this source before the pieces ran (indexed_copy.h): its only layer.
        GdalErrorCollector errors;
        const std::string copy = request.copy->path.string();
        d.dataset.reset(GDALDataset::Open(copy.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
        if (!d.dataset || d.dataset->GetLayerCount() != 1)
            throw IoError(request.label + ": cannot open the indexed copy '" + copy + "' of '" +
                          request.path.string() + "'" +
                          (errors.failed() ? ": " + errors.failure() : std::string()));
        d.layer = d.dataset->GetLayer(0);
        return;
    }
    const std::string path = request.path.string();
    const std::optional<std::filesystem::path> archive = archive_of(request.path);
    std::error_code ec;
    if (!std::filesystem::exists(archive ? *archive : request.path, ec))
        throw IoError(request.label + ": file not found: '" + (archive ? archive->string() : path) +
                      "'");
    if (archive && !member_exists(path))
        throw IoError(request.label + ": '" + archive->string() + "' holds no '" +
                      request.path.filename().string() + "'");
    {
        GdalErrorCollector errors;
        std::vector<const char*> options;
        for (const std::string& o : request.open_options)
            options.push_back(o.c_str());
        options.push_back(nullptr);
        d.dataset.reset(GDALDataset::Open(
          path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, options.data(), nullptr));
        if (!d.dataset) {
            // A raster given without 'classes' is a config slip worth naming as such.
            if (GDALDatasetUniquePtr raster{
                  GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY) })
                throw IoError(request.label + ": '" + path +
                              "' is a raster; raster sources need "
                              "'classes' (the codes to use)");
            throw IoError(request.label + ": cannot open '" + path + "' as a vector dataset" +
                          (errors.failed() ? ": " + errors.failure() : std::string()));
        }
    }

    if (request.layer.empty()) {
        if (d.dataset->GetLayerCount() != 1)
            throw IoError(request.label + ": '" + path + "' has " +
                          std::to_string(d.dataset->GetLayerCount()) +
                          " layers; name one with 'layer'");
        d.layer = d.dataset->GetLayer(0);
    } else {
        d.layer = d.dataset->GetLayerByName(request.layer.c_str());
        if (!d.layer)
            throw IoError(request.label + ": '" + path + "' has no layer '" + request.layer + "'");
    }
    if (request.cache && EQUAL(d.dataset->GetDriverName(), "GML"))
        d.layer =
          request.cache->impl().layer(cache_key(path, *d.layer, request.open_options), *d.layer);
}

std::vector<std::string> files_of(const VectorSource::Impl& d)
{
    if (d.request.copy)
        return d.request.copy->files;
    if (const auto archive = archive_of(d.request.path))
        return { archive->string() };
    std::vector<std::string> files;
    char** list = d.dataset->GetFileList();
    for (char** f = list; f && *f; ++f)
        files.emplace_back(*f);
    CSLDestroy(list);
    return files;
}

VectorSource::VectorSource(const VectorRequest& request, const Crs& run_crs)
  : m_impl(std::make_unique<Impl>())
{
    initialise_gdal();
    Impl& d = *m_impl;
    d.request = request;
    open_layer(d);
    d.info.layer = d.layer->GetName();
    d.info.geometry_kinds = kinds_of(d.layer->GetGeomType());

    OGRFeatureDefn* defn = d.layer->GetLayerDefn();
    for (std::size_t i = 0; i < request.fields.size(); ++i) {
        const int idx = defn->GetFieldIndex(request.fields[i].c_str());
        const bool optional = i < request.field_optional.size() && request.field_optional[i];
        if (idx < 0 && optional) {
            d.field_index.push_back(-1);
            d.info.field_is_number.push_back(false);
            d.info.field_present.push_back(false);
            continue;
        }
        if (idx < 0) {
            const std::string key = i < request.field_keys.size() ? request.field_keys[i] : "field";
            throw IoError(d.where_am_i() + ": " + key + " '" + request.fields[i] +
                          "' is not a field of the layer");
        }
        d.field_index.push_back(idx);
        const OGRFieldType t = defn->GetFieldDefn(idx)->GetType();
        d.info.field_is_number.push_back(t == OFTInteger || t == OFTInteger64 || t == OFTReal);
        d.info.field_present.push_back(true);
    }

    if (!request.where.empty()) {
        // Some drivers only compile the clause when reading starts: read one feature to know.
        GdalErrorCollector errors;
        const OGRErr err = d.layer->SetAttributeFilter(request.where.c_str());
        if (err == OGRERR_NONE) {
            d.layer->ResetReading();
            OGRFeatureUniquePtr probe(d.layer->GetNextFeature());
            d.layer->ResetReading();
        }
        if (err != OGRERR_NONE || errors.failed())
            throw IoError(d.where_am_i() + ": invalid where clause \"" + request.where +
                          "\": " + errors.failure("rejected by the driver"));
    }

    const OGRSpatialReference* layer_srs = d.layer->GetSpatialRef();
    std::optional<Crs> source_crs;
    d.keep_rows = request.rows_without_geometry;
    if (request.rows_without_geometry && d.layer->GetGeomType() == wkbNone && !layer_srs) {
        // A table without geometry (a CSV): nothing to place, so no CRS to know.
        source_crs = run_crs;
    } else if (request.assume_crs) {
        if (layer_srs)
            throw IoError(d.where_am_i() + ": assume_crs is set but the source has a CRS (" +
                          Crs::from_srs(*layer_srs).describe() + "); remove assume_crs");
        source_crs = Crs::from_user_input(*request.assume_crs, d.where_am_i() + ": assume_crs");
    } else if (!layer_srs) {
        throw IoError(d.where_am_i() + ": the source has no CRS; set assume_crs (e.g. \"" +
                      run_crs.describe() + "\") if you know it");
    } else {
        source_crs = Crs::from_srs(*layer_srs);
    }
    d.info.crs = source_crs->describe();
    d.same_crs = source_crs->same_as(run_crs);
    if (!d.same_crs) {
        d.transform = std::make_unique<CrsTransform>(*source_crs, run_crs, d.where_am_i());
        d.info.pipeline = d.transform->pipeline();
    }

    d.info.files = files_of(d);
}

VectorSource::~VectorSource() = default;

const VectorLayerInfo& VectorSource::info() const
{
    return m_impl->info;
}

Box VectorSource::extent() const
{
    Impl& d = *m_impl;
    d.layer->SetSpatialFilter(nullptr);
    OGREnvelope e;
    if (d.layer->GetFeatureCount(TRUE) == 0 || d.layer->GetExtent(&e, TRUE) != OGRERR_NONE)
        return {};
    const Box own{ e.MinX, e.MinY, e.MaxX, e.MaxY };
    return d.transform ? d.transform->target_box_of(own, d.where_am_i()) : own;
}

namespace {

/// A field's value as a read gives it: text always, a number for numeric fields and for text
/// that is one (NaN otherwise).
FieldValue field_value(OGRFeature& f, int idx)
{
    FieldValue v;
    if (idx < 0 || !f.IsFieldSetAndNotNull(idx))
        return v;
    v.null = false;
    v.text = f.GetFieldAsString(idx);
    const OGRFieldType t = f.GetFieldDefnRef(idx)->GetType();
    if (t == OFTInteger || t == OFTInteger64 || t == OFTReal) {
        v.number = f.GetFieldAsDouble(idx);
    } else if (!v.text.empty()) {
        char* end = nullptr;
        const double x = CPLStrtod(v.text.c_str(), &end);
        if (end && *end == '\0')
            v.number = x;
    }
    return v;
}

/// @p name as an SQL identifier.
std::string quoted(const std::string& name)
{
    std::string out = "\"";
    for (char c : name)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

/// The widest of the values field @p idx of @p layer's features holds, each read as a read
/// reads it; 0 when none is positive.
double widest_of(OGRLayer& layer, int idx)
{
    double widest = 0.0;
    layer.ResetReading();
    for (OGRFeatureUniquePtr f(layer.GetNextFeature()); f; f.reset(layer.GetNextFeature())) {
        const double w = field_value(*f, idx).number;
        if (std::isfinite(w) && w > widest)
            widest = w;
    }
    return widest;
}

/// The widest width in field @p idx of the features @p d's layer selects (its `where`
/// applied); 0 when none has a positive one. A GeoPackage (the indexed copies are ones) is
/// asked in SQLite for the distinct values of that column; other layers are scanned without
/// their geometry. Each value is then read as a read reads it, so the box grown by it holds
/// every feature a read keeps.
double widest(VectorSource::Impl& d, int idx)
{
    if (idx < 0)
        return 0.0;
    OGRLayer& layer = *d.layer;
    const std::string field = layer.GetLayerDefn()->GetFieldDefn(idx)->GetNameRef();
    if (d.dataset && layer.GetDataset() == d.dataset.get() &&
        EQUAL(d.dataset->GetDriverName(), "GPKG")) {
        std::string sql = "SELECT DISTINCT " + quoted(field) + " FROM " + quoted(layer.GetName());
        if (!d.request.where.empty())
            sql += " WHERE " + d.request.where;
        if (OGRLayer* result = d.dataset->ExecuteSQL(sql.c_str(), nullptr, nullptr)) {
            const double w = widest_of(*result, 0);
            d.dataset->ReleaseResultSet(result);
            return w;
        }
    }
    // Only the width field is fetched: the scan costs a column, not the geometries.
    CPLStringList ignored;
    ignored.AddString("OGR_GEOMETRY");
    ignored.AddString("OGR_STYLE");
    OGRFeatureDefn* defn = layer.GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i)
        if (i != idx)
            ignored.AddString(defn->GetFieldDefn(i)->GetNameRef());
    layer.SetIgnoredFields(const_cast<const char**>(ignored.List()));
    const double widest = widest_of(layer, idx);
    layer.SetIgnoredFields(nullptr);
    return widest;
}

} // namespace

std::vector<VectorFeature> VectorSource::read(const ReadNear& near, const Progress& progress)
{
    Impl& d = *m_impl;
    std::vector<VectorFeature> out;
    GdalErrorCollector errors;
    const bool filtered = near.boxes != nullptr;
    // By default the filter is applied here, after the coordinate checks, not by OGR: a
    // spatial index would silently hide features with NaN coordinates, which must be errors.
    // With by_index the driver's index is asked first (ReadNear says what that gives up).
    d.layer->SetSpatialFilter(nullptr);
    if (filtered && near.by_index) {
        // With widths per feature the box grows by half the widest, found first by a scan of
        // the width field alone; each feature is then checked with its own width below.
        double margin = near.margin;
        if (near.grow_by_half_of && *near.grow_by_half_of < d.field_index.size())
            margin += 0.5 * widest(d, d.field_index[*near.grow_by_half_of]);
        const Box run_box = grown(near.boxes->envelope(), margin);
        const Box box = run_box.empty() || !d.transform
                          ? run_box
                          : d.transform->source_box_of(run_box, d.where_am_i());
        if (box.empty())
            return out; // nothing is near no box
        d.layer->SetSpatialFilterRect(box.xmin, box.ymin, box.xmax, box.ymax);
    }
    d.layer->ResetReading();
    const GIntBig count = d.layer->GetFeatureCount(FALSE);
    if (count > 0)
        out.reserve(static_cast<std::size_t>(count));

    std::size_t seen = 0;
    for (OGRFeatureUniquePtr f(d.layer->GetNextFeature()); f; f.reset(d.layer->GetNextFeature())) {
        if (progress && count > 0 && ++seen % 4096 == 0 &&
            !progress(std::min(1.0, double(seen) / double(count)), "reading"))
            throw Cancelled();
        std::unique_ptr<OGRGeometry> g(f->StealGeometry());
        if ((!g || g->IsEmpty()) && !d.keep_rows)
            continue;
        if (g && g->IsEmpty())
            g.reset();
        const std::string feature_name =
          d.where_am_i() + ": feature " + std::to_string(f->GetFID());
        if (g) {
            if (g->hasCurveGeometry())
                g.reset(g->getLinearGeometry());
            g->set3D(FALSE);
            g->setMeasured(FALSE);
            FiniteCheck finite;
            g->accept(&finite);
            if (!finite.finite)
                throw IoError(feature_name + " has a NaN or infinite coordinate");
            if (d.transform)
                d.transform->apply(*g, feature_name);
        }
        VectorFeature vf;
        vf.fid = f->GetFID();
        for (int idx : d.field_index)
            vf.fields.push_back(field_value(*f, idx));
        if (g && filtered) {
            double grow = near.margin;
            if (near.grow_by_half_of && *near.grow_by_half_of < vf.fields.size()) {
                const double width = vf.fields[*near.grow_by_half_of].number;
                if (std::isfinite(width) && width > 0.0)
                    grow += 0.5 * width; // (a bad width is the caller's error to report)
            }
            OGREnvelope e;
            g->getEnvelope(&e);
            if (!near.boxes->meets(Box{ e.MinX, e.MinY, e.MaxX, e.MaxY }, grow))
                continue;
        }
        if (g) {
            vf.wkb.resize(g->WkbSize());
            g->exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(vf.wkb.data()), wkbVariantIso);
        }
        out.push_back(std::move(vf));
    }
    if (errors.failed())
        throw IoError(d.where_am_i() + ": reading failed: " + errors.failure());
    if (progress && !progress(1.0, "reading"))
        throw Cancelled();
    return out;
}

} // namespace landel::io

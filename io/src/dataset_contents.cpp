#include "landel/io/dataset_contents.h"

#include "gdal_errors.h"
#include "geometry_kinds.h"
#include "landel/core/text.h"
#include "landel/io/error.h"
#include "layer_cache_impl.h"

#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>

namespace landel::io {

namespace fs = std::filesystem;

namespace {

bool has_zip_extension(const fs::path& path)
{
    return ascii_lower(path.extension().string()) == ".zip";
}

std::vector<std::string> archive_files(const fs::path& path, const std::string& label)
{
    const std::string root = "/vsizip/" + fs::absolute(path).lexically_normal().string();
    char** names = VSIReadDirRecursive(root.c_str());
    if (!names)
        throw IoError(label + ": '" + path.string() + "' cannot be read as a zip archive");
    std::vector<std::string> out;
    for (char** n = names; *n; ++n)
        out.emplace_back(*n);
    CSLDestroy(names);
    return out;
}

} // namespace

const char* to_string(DatasetKind kind)
{
    switch (kind) {
        case DatasetKind::Archive:
            return "a zip archive";
        case DatasetKind::Folder:
            return "a folder";
        case DatasetKind::Vector:
            return "a vector dataset";
        case DatasetKind::Raster:
            return "a raster";
        case DatasetKind::Other:
            break;
    }
    return "not a GIS dataset";
}

DatasetContents inspect_dataset(const fs::path& path, const std::string& label)
{
    initialise_gdal();
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw IoError(label + ": file not found: '" + path.string() + "'");
    DatasetContents c;
    if (fs::is_directory(path, ec)) {
        c.kind = DatasetKind::Folder;
        for (const fs::directory_entry& e : fs::directory_iterator(path, ec))
            if (e.is_regular_file())
                c.members.push_back(e.path().filename().string());
    } else if (has_zip_extension(path)) {
        c.kind = DatasetKind::Archive;
        c.members = archive_files(path, label);
    } else {
        GdalErrorCollector quiet; // a file of the wrong kind is the caller's message
        GDALDatasetUniquePtr vector(
          GDALDataset::Open(path.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
        if (vector) {
            c.kind = DatasetKind::Vector;
            for (int i = 0; i < vector->GetLayerCount(); ++i) {
                OGRLayer* layer = vector->GetLayer(i);
                c.members.emplace_back(layer->GetName());
                c.kinds[layer->GetName()] = kinds_of(layer->GetGeomType());
            }
        } else if (GDALDatasetUniquePtr raster{ GDALDataset::Open(
                     path.string().c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY) }) {
            c.kind = DatasetKind::Raster;
        }
    }
    std::sort(c.members.begin(), c.members.end());
    return c;
}

fs::path archive_member(const fs::path& archive, const std::string& member)
{
    return fs::path("/vsizip/" + fs::absolute(archive).lexically_normal().string() + "/" + member);
}

bool gml_holds_features(const fs::path& path)
{
    initialise_gdal();
    VSILFILE* f = VSIFOpenL(path.string().c_str(), "rb");
    if (!f)
        return true; // unreadable: opening it later gives the error
    std::string head(64 * 1024, '\0');
    head.resize(VSIFReadL(head.data(), 1, head.size(), f));
    const bool whole = VSIFEofL(f) || head.size() < 64 * 1024;
    VSIFCloseL(f);
    for (const char* member : { "cityObjectMember", "featureMember" })
        if (head.find(member) != std::string::npos)
            return true;
    return !whole;
}

std::string greatest_text(const VectorRequest& request, const std::vector<std::string>& fields)
{
    initialise_gdal();
    GdalErrorCollector errors;
    std::vector<const char*> options;
    for (const std::string& o : request.open_options)
        options.push_back(o.c_str());
    options.push_back(nullptr);
    GDALDatasetUniquePtr ds(GDALDataset::Open(request.path.string().c_str(),
                                              GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                              nullptr,
                                              options.data(),
                                              nullptr));
    OGRLayer* layer = !ds                     ? nullptr
                      : request.layer.empty() ? ds->GetLayer(0)
                                              : ds->GetLayerByName(request.layer.c_str());
    if (!layer)
        throw IoError(request.label + ": cannot read '" + request.path.string() + "'" +
                      (errors.failed() ? ": " + errors.failure() : std::string()));
    std::vector<int> index;
    for (const std::string& f : fields)
        if (const int i = layer->GetLayerDefn()->GetFieldIndex(f.c_str()); i >= 0)
            index.push_back(i);
    if (request.cache && EQUAL(ds->GetDriverName(), "GML")) {
        // The job's copy: parsed once for this scan and every source reading the layer.
        layer = request.cache->impl().layer(
          cache_key(request.path.string(), *layer, request.open_options), *layer);
    } else {
        // Only the attributes are needed: skipping geometry makes a GML or GeoPackage scan
        // cheap (not on the shared copy, whose other readers need the geometry).
        layer->SetIgnoredFields(std::vector<const char*>{ "OGR_GEOMETRY", nullptr }.data());
    }
    std::string greatest;
    for (auto& feature : *layer)
        for (int i : index)
            if (feature->IsFieldSetAndNotNull(i))
                greatest = std::max(greatest, std::string(feature->GetFieldAsString(i)));
    if (errors.failed())
        throw IoError(request.label + ": reading '" + request.path.string() +
                      "' failed: " + errors.failure());
    return greatest;
}

} // namespace landel::io

#include "landel/io/indexed_copy.h"

#include "gdal_errors.h"
#include "landel/io/error.h"
#include "landel/io/table_writers.h"
#include "layer_key.h"
#include "vector_source_impl.h"

#include <gdal_utils.h>
#include <unistd.h>

#include <atomic>
#include <fstream>

namespace landel::io {

namespace fs = std::filesystem;

namespace {

/// The metadata item of a copy naming what it is a copy of: a file under a copy's name that
/// lacks it (or names another source) is not trusted.
constexpr const char* copy_of_item = "LANDEL_COPY_OF";

/// The name of the copy: what makes the layer what it is (file contents, layer, how it is
/// opened) and the version of the program that copies it.
std::string copy_name(const VectorSource::Impl& d,
                      const std::vector<std::string>& files,
                      const std::string& version)
{
    std::string what = "landel indexed copy\n" + version + "\n";
    for (const std::string& f : files)
        what += sha256_file(f) + "\n";
    what += std::string("layer ") + d.layer->GetName() + "\n";
    for (const std::string& o : d.request.open_options)
        what += "open option " + o + "\n";
    return sha256_text(what);
}

/// The name of the stamp that remembers which copy a source's files had when they last had
/// these sizes and modification times (nanoseconds): a later run finds the copy without
/// hashing the files' contents.
std::string stamp_name(const VectorSource::Impl& d,
                       const std::vector<std::string>& files,
                       const std::string& version)
{
    std::string what = "landel copy stamp\n" + version + "\n";
    for (const std::string& f : files) {
        std::error_code ec;
        const auto size = fs::file_size(f, ec);
        const auto time = fs::last_write_time(f, ec);
        if (ec)
            return {}; // not a plain file (e.g. a /vsi path): hash its contents every time
        what += f + " " + std::to_string(size) + " " +
                std::to_string(time.time_since_epoch().count()) + "\n";
    }
    what += std::string("layer ") + d.layer->GetName() + "\n";
    for (const std::string& o : d.request.open_options)
        what += "open option " + o + "\n";
    return sha256_text(what);
}

/// The copy name a stamp holds; empty when there is none.
std::string stamped_copy(const fs::path& stamp)
{
    std::ifstream in(stamp);
    std::string name;
    in >> name;
    return name.size() == 64 ? name : std::string();
}

/// Writes @p name into the stamp @p stamp (whole or not at all; a stamp that cannot be
/// written only costs a hash next time).
void write_stamp(const fs::path& stamp, const std::string& name)
{
    static std::atomic<unsigned> serial{ 0 };
    fs::path part = stamp;
    part += ".part-" + std::to_string(::getpid()) + "-" + std::to_string(serial++);
    {
        std::ofstream out(part);
        out << name << "\n";
        if (!out)
            return;
    }
    std::error_code ec;
    fs::rename(part, stamp, ec);
    if (ec)
        fs::remove(part, ec);
}

/// A copy made before, complete (copies are renamed into place when written) and of this
/// source.
bool is_copy_of(const fs::path& copy, const std::string& name)
{
    std::error_code ec;
    if (!fs::is_regular_file(copy, ec))
        return false;
    GdalErrorCollector quiet; // a broken file is made again, not reported
    const GDALDatasetUniquePtr dataset(
      GDALDataset::Open(copy.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!dataset || dataset->GetLayerCount() != 1)
        return false;
    const char* of = dataset->GetMetadataItem(copy_of_item);
    return of && name == of;
}

/// Writes the layer of @p d into a GeoPackage at @p path with its feature ids.
void write_copy(VectorSource::Impl& d, const fs::path& path, const std::string& name)
{
    const std::string layer = d.layer->GetName();
    d.layer->SetAttributeFilter(nullptr);
    d.layer->SetSpatialFilter(nullptr);
    const char* args[] = { "-f",          "GPKG",        "-preserve_fid", "-nln",
                           layer.c_str(), layer.c_str(), nullptr };
    GDALVectorTranslateOptions* options =
      GDALVectorTranslateOptionsNew(const_cast<char**>(args), nullptr);
    GDALDatasetH source = GDALDataset::ToHandle(d.dataset.get());
    int usage_error = FALSE;
    GDALDatasetUniquePtr copy(GDALDataset::FromHandle(
      GDALVectorTranslate(path.string().c_str(), nullptr, 1, &source, options, &usage_error)));
    GDALVectorTranslateOptionsFree(options);
    if (!copy)
        throw IoError("no copy made");
    copy->SetMetadataItem(copy_of_item, name.c_str());
    copy.reset(); // closed and flushed before it is renamed into place
}

} // namespace

std::string layer_key(const VectorRequest& request)
{
    return detail::layer_key(request.path.string(), request.layer, request.open_options);
}

std::optional<IndexedCopy> indexed_copy(const VectorRequest& request,
                                        const fs::path& cache_dir,
                                        const std::string& version,
                                        bool verify)
{
    initialise_gdal();
    VectorSource::Impl d;
    d.request = request;
    d.request.cache = nullptr;
    d.request.copy.reset();
    open_layer(d);
    if (d.layer->TestCapability(OLCFastSpatialFilter))
        return std::nullopt;
    IndexedCopy out;
    out.files = files_of(d);
    const std::string stamp = stamp_name(d, out.files, version);
    const fs::path stamp_path = cache_dir / (stamp + ".stamp");
    if (!verify && !stamp.empty()) {
        const std::string name = stamped_copy(stamp_path);
        out.path = cache_dir / (name + ".gpkg");
        out.reused = !name.empty() && is_copy_of(out.path, name);
        if (out.reused)
            return out;
    }
    const std::string name = copy_name(d, out.files, version);
    out.path = cache_dir / (name + ".gpkg");
    out.reused = is_copy_of(out.path, name);
    if (out.reused) {
        if (!stamp.empty())
            write_stamp(stamp_path, name);
        return out;
    }

    static std::atomic<unsigned> serial{ 0 };
    const fs::path part = cache_dir / (name + ".part-" + std::to_string(::getpid()) + "-" +
                                       std::to_string(serial++) + ".gpkg");
    std::error_code ec;
    fs::create_directories(cache_dir, ec);
    if (ec)
        throw IoError(request.label + ": cannot make the cache folder '" + cache_dir.string() +
                      "': " + ec.message());
    GdalErrorCollector errors;
    try {
        write_copy(d, part, name);
        if (errors.failed())
            throw IoError("copy incomplete");
    } catch (const IoError&) {
        fs::remove(part, ec);
        throw IoError(request.label + ": cannot copy '" + request.path.string() + "' into '" +
                      cache_dir.string() + "': " + errors.failure("no copy made"));
    }
    fs::rename(part, out.path, ec);
    if (ec) {
        fs::remove(part, ec);
        throw IoError(request.label + ": cannot put the copy of '" + request.path.string() +
                      "' into '" + cache_dir.string() + "': " + ec.message());
    }
    if (!stamp.empty())
        write_stamp(stamp_path, name);
    return out;
}

} // namespace landel::io

// The fuzz tree builds no GDAL code: the config reader's few calls into io get these
// stand-ins, which refuse every [dataset] download, so the fuzzer explores the reading of
// [dataset], its preset and [rural] up to the download.

#include "landel/io/dataset_contents.h"
#include "landel/io/error.h"

namespace landel::io {

const char* to_string(DatasetKind)
{
    return "a file";
}

DatasetContents inspect_dataset(const std::filesystem::path& path, const std::string& label)
{
    throw IoError(label + ": '" + path.string() + "': no dataset is read in the fuzz build");
}

std::filesystem::path archive_member(const std::filesystem::path& archive,
                                     const std::string& member)
{
    return archive / member;
}

bool gml_holds_features(const std::filesystem::path&)
{
    return false;
}

} // namespace landel::io

#pragma once
// Internal: the GDAL side of io::VectorSource, shared with indexed_copy.cpp, which opens a
// source exactly as a read does before copying it.

#include "crs_transform.h"
#include "landel/io/vector_source.h"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <string>
#include <vector>

namespace landel::io {

struct VectorSource::Impl
{
    VectorRequest request;
    GDALDatasetUniquePtr dataset;
    OGRLayer* layer = nullptr;
    std::vector<int> field_index;
    std::unique_ptr<CrsTransform> transform;
    VectorLayerInfo info;
    bool same_crs = true;
    bool keep_rows = false; // request.rows_without_geometry

    std::string where_am_i() const
    {
        return request.label + " ('" + request.path.string() + "', layer '" + info.layer + "')";
    }
};

/// Opens the dataset and layer of @p d.request (or of its indexed copy) into @p d; throws
/// IoError naming the file or layer.
void open_layer(VectorSource::Impl& d);

/// The files making up the source: a zip member's are its archive, a copy's its source's.
std::vector<std::string> files_of(const VectorSource::Impl& d);

} // namespace landel::io

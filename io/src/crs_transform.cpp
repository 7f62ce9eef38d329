#include "crs_transform.h"

#include "landel/io/error.h"

#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <proj.h>

namespace landel::io {

namespace {

/// The PROJ string of the first (preferred) operation from one CRS to the other.
std::string preferred_pipeline(const Crs& from, const Crs& to, const std::string& what)
{
    PJ_CONTEXT* ctx = proj_context_create();
    PJ* src = proj_create(ctx, from.wkt().c_str());
    PJ* dst = proj_create(ctx, to.wkt().c_str());
    std::string out;
    if (src && dst) {
        PJ_OPERATION_FACTORY_CONTEXT* factory = proj_create_operation_factory_context(ctx, nullptr);
        proj_operation_factory_context_set_grid_availability_use(
          ctx, factory, PROJ_GRID_AVAILABILITY_DISCARD_OPERATION_IF_MISSING_GRID);
        proj_operation_factory_context_set_spatial_criterion(
          ctx, factory, PROJ_SPATIAL_CRITERION_PARTIAL_INTERSECTION);
        PJ_OBJ_LIST* ops = proj_create_operations(ctx, src, dst, factory);
        if (ops && proj_list_get_count(ops) > 0) {
            PJ* op = proj_list_get(ctx, ops, 0);
            const char* text = op ? proj_as_proj_string(ctx, op, PJ_PROJ_5, nullptr) : nullptr;
            if (text)
                out = text;
            proj_destroy(op);
        }
        proj_list_destroy(ops);
        proj_operation_factory_context_destroy(factory);
    }
    proj_destroy(src);
    proj_destroy(dst);
    proj_context_destroy(ctx);
    if (out.empty())
        throw IoError(what + ": PROJ finds no usable operation from " + from.describe() + " to " +
                      to.describe());
    return out;
}

} // namespace

CrsTransform::CrsTransform(const Crs& from, const Crs& to, const std::string& what)
  : m_pipeline(preferred_pipeline(from, to, what))
{
    // The operation is in the CRSs' own axis order; OGR swaps axes around it according to
    // each CRS's (traditional GIS) data axis mapping.
    OGRCoordinateTransformationOptions options;
    options.SetCoordinateOperation(m_pipeline.c_str(), false);
    m_ct.reset(OGRCreateCoordinateTransformation(&from.srs(), &to.srs(), options));
    if (!m_ct)
        throw IoError(what + ": cannot transform from " + from.describe() + " to " + to.describe());
}

CrsTransform::~CrsTransform() = default;

void CrsTransform::apply(OGRGeometry& geometry, const std::string& what) const
{
    if (geometry.transform(m_ct.get()) != OGRERR_NONE)
        throw IoError(what + ": coordinates cannot be transformed with " + m_pipeline);
}

Box CrsTransform::source_box_of(const Box& box, const std::string& what) const
{
    std::unique_ptr<OGRCoordinateTransformation> back(m_ct->GetInverse());
    Box out;
    // 21 points per edge is the densification PROJ's proj_trans_bounds documents as typical.
    if (!back ||
        !back->TransformBounds(
          box.xmin, box.ymin, box.xmax, box.ymax, &out.xmin, &out.ymin, &out.xmax, &out.ymax, 21))
        throw IoError(what + ": the areas' box cannot be transformed back with " + m_pipeline);
    return out;
}

Box CrsTransform::target_box_of(const Box& box, const std::string& what) const
{
    Box out;
    if (!m_ct->TransformBounds(
          box.xmin, box.ymin, box.xmax, box.ymax, &out.xmin, &out.ymin, &out.xmax, &out.ymax, 21))
        throw IoError(what + ": the layer's extent cannot be transformed with " + m_pipeline);
    return out;
}

} // namespace landel::io

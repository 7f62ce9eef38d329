// The patches of a request's sources, judged once on the whole sources for a run in pieces
// (pieces then read those sources only near their areas and take the judgement as given).
// The same code as measure() judges them with (element_shapes.cpp, rural_land.cpp), so a
// piece's patches are a whole run's.
#include "landel/analysis/measurement/measurement.h"
#include "measure_stages.h"

namespace landel::analysis {

PatchJudgement judge_patches(const MeasureRequest& request)
{
    detail::Contexts contexts; // first: every geometry below is destroyed before the contexts
    PatchJudgement out;
    out.masks = detail::judge_mask_patches(contexts, request, out.mask_reports);
    detail::ElementShapes shapes = detail::build_element_shapes(contexts, request);
    out.elements = std::move(shapes.judged);
    out.element_reports = std::move(shapes.reports);
    return out;
}

} // namespace landel::analysis

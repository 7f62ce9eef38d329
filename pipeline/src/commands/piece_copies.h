#pragma once
// Internal: the indexed copies a run in pieces reads (pieces.h), keyed as load_inputs() finds
// them.

#include "landel/pipeline/pieces.h"
#include "stages/inputs.h"

#include <vector>

namespace landel::pipeline::detail {

inline LayerCopies by_source(const std::vector<LayerCopy>& copies)
{
    LayerCopies out;
    for (const LayerCopy& c : copies)
        out[c.source] = io::IndexedCopy{ c.copy, c.files, c.reused };
    return out;
}

} // namespace landel::pipeline::detail

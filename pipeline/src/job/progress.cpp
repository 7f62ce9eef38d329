#include "job/progress.h"

namespace landel::pipeline::detail {

Progress progress_slice(const Progress& whole, double from, double to)
{
    if (!whole)
        return {};
    return [whole, from, to](double f, std::string_view stage) {
        return whole(from + (to - from) * f, stage);
    };
}

} // namespace landel::pipeline::detail

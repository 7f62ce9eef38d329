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

void report_or_stop(const Progress& progress, double fraction, std::string_view stage)
{
    if (progress && !progress(fraction, stage))
        throw Cancelled();
}

} // namespace landel::pipeline::detail

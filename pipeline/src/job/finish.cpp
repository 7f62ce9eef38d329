#include "job/finish.h"

#include "job/progress.h"

namespace landel::pipeline::detail {

RunOutcome finish_job(StagedFolder& folder,
                      RunLog& log,
                      const Progress& progress,
                      RunOutcome outcome)
{
    log.save(folder.path() / "landel.log");
    // A stop requested while writing still leaves nothing.
    report_progress(progress, 1.0, "done");
    folder.commit();
    outcome.output = folder.final_path();
    outcome.warnings = log.warnings().size();
    return outcome;
}

RunOutcome totals_of(const analysis::MeasureResult& result)
{
    RunOutcome outcome;
    outcome.areas = result.areas.size();
    for (const auto& a : result.areas) {
        outcome.rural_ha += a.rural_ha;
        outcome.element_ha += a.element_ha;
    }
    return outcome;
}

} // namespace landel::pipeline::detail

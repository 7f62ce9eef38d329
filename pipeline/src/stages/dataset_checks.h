#pragma once
// Internal: what a run on a preset's download checks besides reading it ([dataset],
// docs/presets.md): that as_of is not after the download's own date, and how much of each
// area the dataset's ground-level surfaces cover on as_of (a registry still being captured
// covers less: the BGT until about 2016-2017). Also puts the rural-land definition's
// warnings into the run log.

#include "stages/inputs.h"

namespace landel::pipeline::detail {

/// The download's date: the greatest registration or publication date of any version in
/// any of its layers ("YYYY-MM-DD"; empty when none). With @p cache the GML layers are read
/// from the job's parsed copies (made now for those not read yet).
std::string download_date(const DatasetConfig& dataset, io::LayerCache* cache = nullptr);

/// With as_of: the download's date, after checking as_of is not after it (ConfigError).
/// Without: empty (the date costs a scan of every layer).
std::string check_as_of(const Config& config, RunLog& log, io::LayerCache* cache = nullptr);

/// Measures, per area, the share the coverage surfaces cover (recorded in @p inputs) and
/// warns naming every area under the preset's minimum share with its coverage.
void check_coverage(const Config& config, const io::Crs& crs, LoadedInputs& inputs, RunLog& log);

/// The config's warnings about its denominator (no NNN layer, an approximate built-up area,
/// no mask at all) into @p log.
void warn_rural_definition(const Config& config, RunLog& log);

} // namespace landel::pipeline::detail

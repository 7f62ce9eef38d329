#pragma once
// Internal: `[rural] definition` — the named denominators of the share (docs/configuration.md
// #rural): "aanvalsplan" (area − built-up area − NNN, road and rail surfaces by default as
// built surface), "cobra" (aanvalsplan − water − woods above the element size limit) and
// "custom" (the [[rural.exclude]] masks as given). The parts become masks named built_up, nnn,
// roads, water and large_woods; what stood in for a missing layer is recorded as approximate.

#include "config/dataset.h"

namespace landel::pipeline::detail {

/// Reads the definition keys of @p rural (the [rural] table; nullptr when the config has
/// none) and adds the definition's masks to cfg.masks after the config's own. @p dataset is
/// the preset's download, when the config has one.
void read_rural_definition(Config& cfg, Section* rural, const DatasetReading* dataset);

} // namespace landel::pipeline::detail

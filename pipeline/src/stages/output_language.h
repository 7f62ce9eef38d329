#pragma once
// Internal: the outputs' labels in [render] language (docs/outputs.md, "Language").

#include "landel/bid/catalogue.h"
#include "landel/core/table.h"
#include "landel/core/translation.h"
#include "landel/io/xlsx_writer.h"
#include "landel/pipeline/config.h"
#include "landel/pipeline/run_log.h"
#include "landel/render/maps.h"
#include "landel/render/report.h"

#include <memory>
#include <vector>

namespace landel::pipeline::detail {

/// The translation of config.language: the shipped data/i18n/labels.csv, and the catalogue's
/// Dutch type names (name_nl) for its English ones. English: no table is read.
std::shared_ptr<const Translation> output_language(const Config& config,
                                                   const bid::Catalogue& catalogue);

/// The same for @p language ("en" or "nl") with the shipped catalogue's type names
/// (`landel compare --language`, which has no config).
std::shared_ptr<const Translation> output_language(const std::string& language);

/// The plain-words titles (aliases) of @p t's columns; names stay.
void translate_aliases(Table& t, const Translation& words);

/// Sheet names, titles and column titles.
void translate_sheets(std::vector<io::Sheet>& sheets, const Translation& words);

/// Every label of the page: title, headings, card labels, table headers, notes; not the data
/// in the tables, and card values only where the table has them whole ("the regional gap").
/// The legend comes from the translated map document (translate_map).
void translate_report(render::Report& report, const Translation& words);

/// The maps' words: headings, legend, share classes, the type legend (type_labels) and each
/// area page's figure labels; not the run's or the areas' names.
void translate_map(render::MapDocument& doc, const Translation& words);

/// One info line naming the labels the table lacks (none in English).
void log_untranslated(const Translation& words, RunLog& log);

} // namespace landel::pipeline::detail

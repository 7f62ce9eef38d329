#include "stages/output_language.h"

#include "job/data_dir.h"
#include "landel/core/error.h"
#include "landel/io/catalogue_csv.h"

namespace landel::pipeline::detail {

std::shared_ptr<const Translation> output_language(const Config& config,
                                                   const bid::Catalogue& catalogue)
{
    if (config.language == "en")
        return std::make_shared<const Translation>();
    const std::filesystem::path table = shipped_data_dir("i18n", "labels.csv") / "labels.csv";
    std::vector<std::pair<std::string, std::string>> entries;
    try {
        entries = io::read_translation_table(table, config.language);
    } catch (const Error& e) {
        e.rethrow_with("render.language \"" + config.language + "\": " + e.what());
    }
    // The catalogue's own Dutch names, so a type's name reads the same in every output.
    if (config.language == "nl")
        for (const bid::CatalogueEntry& e : catalogue.entries)
            if (!e.name_nl.empty()) {
                entries.emplace_back(e.name, e.name_nl);
                entries.emplace_back(e.type, e.name_nl); // a type named by its key (legend)
            }
    return std::make_shared<const Translation>(config.language, std::move(entries));
}

std::shared_ptr<const Translation> output_language(const std::string& language)
{
    Config config;
    config.language = language;
    if (language == "en")
        return output_language(config, bid::Catalogue());
    return output_language(
      config, io::read_catalogue(shipped_data_dir("catalogue", "elements.csv") / "elements.csv"));
}

void translate_aliases(Table& t, const Translation& words)
{
    for (Column& c : t.columns)
        if (!c.alias.empty())
            c.alias = words(c.alias);
}

void translate_sheets(std::vector<io::Sheet>& sheets, const Translation& words)
{
    for (io::Sheet& s : sheets) {
        // Area and participant sheets are named by their data, fixed sheets by a label.
        s.name = words.known(s.name);
        s.title = words(s.title);
        translate_aliases(s.table, words);
    }
}

void translate_report(render::Report& r, const Translation& words)
{
    if (words.identity())
        return;
    r.words.language = words.language();
    for (std::string* w : { &r.words.summary,
                            &r.words.map,
                            &r.words.notes,
                            &r.words.overview_map,
                            &r.words.area_maps,
                            &r.words.sort_hint })
        *w = words(*w);
    r.title = words(r.title);
    for (auto& card : r.summary)
        card.first = words(card.first);
    for (std::string& c : r.cautions)
        c = words(c);
    r.charts_heading = words(r.charts_heading);
    r.charts_intro = words(r.charts_intro);
    r.areas_heading = words(r.areas_heading);
    for (std::string& h : r.areas.headers)
        h = words(h);
    for (auto& [heading, table] : r.tables) {
        heading = words(heading);
        for (std::string& h : table.headers)
            h = words(h);
    }
    for (auto& card : r.summary)
        card.second = words.known(card.second);
    for (std::string& n : r.notes)
        n = words(n);
}

void translate_map(render::MapDocument& doc, const Translation& words)
{
    if (words.identity())
        return;
    render::MapWording& w = doc.wording;
    for (std::string* text : { &w.overview_heading,
                               &w.overview_subtitle,
                               &w.legend_heading,
                               &w.no_value,
                               &w.area_subtitle,
                               &w.types_heading,
                               &w.layers_heading,
                               &w.data_heading,
                               &w.figures_heading,
                               &w.no_elements })
        *text = words(*text);
    // (The table's cells are trimmed: the prefix keeps its space outside the lookup.)
    w.denominator_prefix = words("Rural land:") + " ";
    doc.denominator = words.known(doc.denominator);
    for (render::ShareClass& c : doc.classes)
        c.label = words(c.label);
    doc.type_labels.clear();
    for (const std::string& t : doc.types)
        doc.type_labels.push_back(words(t));
    for (render::FixedLayer& l : doc.layers)
        l.label = words(l.label);
    for (render::MapArea& a : doc.areas)
        for (auto& [label, value] : a.figures) {
            label = words(label);
            value = words.known(value);
        }
}

void log_untranslated(const Translation& words, RunLog& log)
{
    const std::vector<std::string> missing = words.missing();
    if (missing.empty())
        return;
    std::string list;
    for (const std::string& m : missing)
        list += (list.empty() ? "\"" : ", \"") + m + "\"";
    log.info("render.language \"" + words.language() + "\": " + std::to_string(missing.size()) +
             " labels have no translation yet and stay English: " + list);
}

} // namespace landel::pipeline::detail

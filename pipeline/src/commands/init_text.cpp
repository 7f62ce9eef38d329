// The text of a config written by `landel init`: the keys a run needs, and the choices a user
// may want to make (the preset's options, the rural-land definition and its layers) written
// out as comments with their defaults, so the file explains itself.

#include "commands/init_text.h"

#include "landel/pipeline/version.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <sstream>

namespace landel::pipeline::detail {

namespace {

constexpr std::size_t page_width = 96;     // comments wrap here
constexpr std::size_t comment_column = 34; // trailing comments start here (configuration.md)

/// @p text as comment lines, wrapped at page_width: the first line starts with @p first, the
/// others with @p next.
void comment(std::ostringstream& out,
             const std::string& text,
             const std::string& first = "# ",
             const std::string& next = "# ")
{
    std::istringstream words(text);
    std::string word, line;
    const std::string* lead = &first;
    while (words >> word) {
        if (!line.empty() && lead->size() + line.size() + 1 + word.size() > page_width) {
            out << *lead << line << '\n';
            line.clear();
            lead = &next;
        }
        line += (line.empty() ? "" : " ") + word;
    }
    if (!line.empty())
        out << *lead << line << '\n';
}

/// @p line ("key = value"), with @p note as a trailing comment when it fits, else above it.
void key_line(std::ostringstream& out, const std::string& line, const std::string& note = "")
{
    if (note.empty()) {
        out << line << '\n';
        return;
    }
    const std::size_t at = std::max(comment_column, line.size() + 1);
    if (at + 2 + note.size() <= page_width) {
        out << line << std::string(at - line.size(), ' ') << "# " << note << '\n';
        return;
    }
    comment(out, note);
    out << line << '\n';
}

std::string key(const std::string& name, const std::string& text)
{
    return name + " = " + toml_quoted(text);
}

/// A TOML float that reads back as @p v.
std::string toml_number(double v)
{
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    std::string s(buf, r.ptr);
    if (s.find_first_of(".eE") == std::string::npos)
        s += ".0";
    return s;
}

std::string sources_of(const std::vector<PresetPart>& parts)
{
    std::string out;
    for (const PresetPart& p : parts)
        out += (out.empty() ? "" : "; ") + p.source;
    return out;
}

void write_header(std::ostringstream& out, const InitText& t)
{
    comment(out,
            t.config_name + ": a landel run on a " + t.preset->name +
              " download, written by `landel init` (landel " + version() + ").");
    comment(out,
            "The keys: docs/configuration.md. The preset (`landel presets " + t.preset_ref +
              "` prints it): docs/presets.md.");
    out << "# Check it:  landel validate " << t.config_name << '\n'
        << "# Run it:    landel run " << t.config_name
        << "   (writes to run.output; --out FOLDER overrides)\n\n";
}

void write_run_and_areas(std::ostringstream& out, const InitText& t)
{
    out << "[run]\n";
    key_line(out, key("name", t.run_name), "shown in the outputs");
    if (!t.preset->crs.empty())
        key_line(out, key("crs", t.preset->crs), "the preset's CRS");
    key_line(out, key("output", "out"), "the output folder, relative to this file");
    key_line(out,
             "# measurement_year = 2024",
             "the year the data describe: gives the bid a yearly phasing");
    out << "\n[areas]                           # the areas whose shares are measured\n"
        << "method = \"given\"\n[[areas.layers]]\n";
    key_line(out, key("path", t.areas.path));
    if (!t.areas.layer.empty())
        key_line(out, key("layer", t.areas.layer));
    const std::string id_note = "the attribute giving area_id; default: the feature id";
    const std::string name_note = "the attribute giving area_name";
    if (t.id_field.empty())
        key_line(out, "# " + key("id_field", "code"), id_note);
    else
        key_line(out, key("id_field", t.id_field), id_note);
    if (t.name_field.empty())
        key_line(out, "# " + key("name_field", "naam"), name_note);
    else
        key_line(out, key("name_field", t.name_field), name_note);
}

void write_dataset(std::ostringstream& out, const InitText& t)
{
    const Preset& p = *t.preset;
    out << '\n';
    comment(out,
            "The download, read through the preset: its element rows become the element "
            "sources (docs/presets.md tables them).");
    out << "[dataset]\n";
    key_line(out, key("preset", t.preset_ref), "a shipped preset (`landel presets`) or a .toml");
    key_line(out, key("path", t.data), p.title);
    if (!p.history.version_end.empty())
        key_line(out,
                 "# as_of = \"2020-01-01\"",
                 "the state at the end of that day; default: current objects");
    if (p.options.empty())
        return;
    out << '\n';
    comment(out,
            "The preset's options, each with its default and what it does; uncomment a line "
            "to change it.");
    out << "[dataset.options]\n";
    for (const PresetOption& o : p.options) {
        if (&o != &p.options.front())
            out << '\n';
        comment(out, o.about);
        out << "# " << o.name << " = "
            << (o.is_flag ? (o.flag ? "true" : "false") : toml_number(o.number)) << '\n';
    }
}

void write_definition(std::ostringstream& out, const Preset& p)
{
    out << '\n';
    comment(out, "Rural land, the denominator of the share (docs/presets.md):");
    std::string aanvalsplan = "\"aanvalsplan\" (the default with a preset): the area minus "
                              "built-up area and NNN (Natuurnetwerk Nederland)";
    if (!p.roads.empty())
        aanvalsplan += ", and minus road and rail surfaces unless roads = \"rural\"";
    comment(
      out, aanvalsplan + "; the Aanvalsplan Landschapselementen's rural land", "#   ", "#     ");
    if (!p.water.empty() && !p.large_woods_element.empty())
        comment(out,
                "\"cobra\": as \"aanvalsplan\", and minus water and forest: " +
                  sources_of(p.water) + "; " + p.large_woods_source,
                "#   ",
                "#     ");
    comment(out, "\"custom\": minus only the [[rural.exclude]] masks you add", "#   ", "#     ");
    out << "[rural]\ndefinition = \"aanvalsplan\"\n";
    if (p.roads.empty())
        return;
    comment(out,
            "roads = \"rural\" keeps road and rail surfaces in the rural land; \"built\" (the "
            "default) leaves them out: " +
              sources_of(p.roads));
    out << "# roads = \"built\"\n";
}

void write_layer(std::ostringstream& out,
                 const std::string& table,
                 const WrittenLayer& l,
                 const std::string& note)
{
    out << '\n';
    key_line(out, "[" + table + "]", note);
    key_line(out, key("path", l.path));
    if (!l.layer.empty())
        key_line(out, key("layer", l.layer));
}

void write_rural_layers(std::ostringstream& out, const InitText& t)
{
    const Preset& p = *t.preset;
    if (t.built_up) {
        write_layer(out, "rural.built_up", *t.built_up, "the built-up zone: not rural land");
    } else {
        out << '\n';
        comment(out,
                "The built-up zone (e.g. the bebouwde kom) is not rural land. " +
                  (p.built_up.empty()
                     ? std::string("This preset has no stand-in for it: name a layer.")
                     : "Without a layer these stand in for it, so the denominator is "
                       "approximate: " +
                         sources_of(p.built_up) + ".") +
                  " A layer (source keys path, layer, where) is named with:");
        out << "# [rural.built_up]\n# path = \"bebouwde_kom.gpkg\"\n";
    }
    if (t.nnn) {
        write_layer(out, "rural.nnn", *t.nnn, "the Natuurnetwerk Nederland: not rural land");
    } else {
        out << '\n';
        comment(out,
                "The Natuurnetwerk Nederland (NNN, the provinces' layer) is not rural land. "
                "Without a layer it is not excluded, and a warning says so. A layer (source "
                "keys path, layer, where) is named with:");
        out << "# [rural.nnn]\n# path = \"nnn.gpkg\"\n";
    }
}

/// Where to plant ([siting], docs/siting.md): commented out, as it adds outputs and time.
void write_siting(std::ostringstream& out, const Preset& p)
{
    if (p.parcels.empty())
        return;
    out << '\n';
    comment(out,
            "Where to plant (docs/siting.md): uncomment for each area's element network and its "
            "candidate sites. Without a parcel layer in [bid.potential] this stands in for the "
            "parcels: " +
              sources_of(p.parcels) +
              ". Free edges along water are banks, along roads verges. A parcel layer (e.g. the "
              "BRP gewaspercelen) is named with path = \"percelen.gpkg\" under [bid.potential].");
    out << "# [siting]\n# [bid.potential]\n";
}

} // namespace

std::string toml_quoted(const std::string& value)
{
    std::string out = "\"";
    for (const char c : value) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(static_cast<unsigned char>(c)));
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string init_config_text(const InitText& t)
{
    std::ostringstream out;
    write_header(out, t);
    write_run_and_areas(out, t);
    write_dataset(out, t);
    write_definition(out, *t.preset);
    write_rural_layers(out, t);
    write_siting(out, *t.preset);
    return out.str();
}

} // namespace landel::pipeline::detail

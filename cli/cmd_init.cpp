#include "commands.h"

#include "landel/pipeline/init.h"

#include <cstdio>
#include <memory>

namespace landel::cli {

Action add_init_command(CLI::App& app)
{
    auto o = std::make_shared<pipeline::InitOptions>();
    auto out = std::make_shared<std::string>("landel.toml");
    CLI::App* cmd = app.add_subcommand(
      "init",
      "Write a commented config for a dataset download read through a preset (e.g. a PDOK BGT "
      "download), checked before it is written");
    cmd
      ->add_option(
        "--preset", o->preset, "A shipped preset (see: landel presets) or a preset .toml")
      ->type_name("NAME")
      ->required();
    cmd
      ->add_option("--data",
                   o->data,
                   "The download the preset reads (BGT: the PDOK zip, its unzipped folder or a "
                   "GeoPackage made from it with ogr2ogr)")
      ->type_name("PATH")
      ->required();
    cmd
      ->add_option("--areas",
                   o->areas,
                   "The areas whose shares landel measures (polygons, e.g. municipalities or "
                   "project areas); required, as landel reports per area. LAYER: when FILE "
                   "has several")
      ->type_name("FILE[:LAYER]")
      ->required();
    cmd
      ->add_option("--nnn",
                   o->nnn,
                   "The Natuurnetwerk Nederland, left out of rural land (without it, NNN is not "
                   "excluded and a warning says so)")
      ->type_name("FILE[:LAYER]");
    cmd
      ->add_option("--built-up",
                   o->built_up,
                   "The built-up zone, left out of rural land (without it the preset's stand-in "
                   "is used: BGT buildings and yards, approximate)")
      ->type_name("FILE[:LAYER]");
    cmd->add_option("--id-field", o->id_field, "The areas' id attribute (default: the feature id)")
      ->type_name("FIELD");
    cmd->add_option("--name-field", o->name_field, "The areas' name attribute")->type_name("FIELD");
    cmd->add_option("--out", *out, "The config file to write")
      ->type_name("FILE")
      ->capture_default_str();
    cmd->add_flag("--force", o->force, "Overwrite --out when it exists");
    cmd->footer("Example: landel init --preset bgt --data bgt.zip --areas gebieden.gpkg "
                "--nnn nnn.gpkg:nnn --id-field code\nThen: landel run landel.toml "
                "(docs/presets.md)");

    return [o, out, cmd]() -> int {
        if (!cmd->parsed())
            return -1;
        o->out = *out;
        const pipeline::InitOutcome outcome = pipeline::init_config(*o);
        for (const std::string& w : outcome.warnings)
            print_warning(w);
        std::fprintf(stderr,
                     "landel: wrote %s (%zu element sources); run it with: landel run %s\n",
                     outcome.file.string().c_str(),
                     outcome.element_sources,
                     outcome.file.string().c_str());
        return 0;
    };
}

} // namespace landel::cli

// landel: exact green-blue landscape element shares per area.
// The CLI only declares arguments and translates exceptions into one line and an exit code.

#include "commands.h"
#include "stop_signals.h"

#include <csignal>

#include "landel/core/error.h"
#include "landel/core/progress.h"
#include "landel/pipeline/version.h"

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

namespace landel::cli {

void print_error(const std::string& message)
{
    std::string line = message;
    for (char& c : line)
        if (c == '\n' || c == '\r')
            c = ' ';
    std::fprintf(stderr, "landel: error: %s\n", line.c_str());
}

void print_warning(const std::string& message)
{
    std::fprintf(stderr, "landel: warning: %s\n", message.c_str());
}

} // namespace landel::cli

int main(int argc, char** argv)
{
    using namespace landel::cli;
    CLI::App app{ "landel — exact shares of green-blue landscape elements per area" };
    app.set_version_flag("--version", std::string("landel ") + landel::pipeline::version());
    app.require_subcommand(1);
    std::vector<Action> actions{ add_run_command(app),      add_delineate_command(app),
                                 add_bid_command(app),      add_render_command(app),
                                 add_compare_command(app),  add_batch_command(app),
                                 add_validate_command(app), add_presets_command(app),
                                 add_init_command(app) };

    catch_stop_signals();
    // A first word that is no option and no command would otherwise read "A subcommand is
    // required", never naming what was typed.
    if (argc > 1 && argv[1][0] != '-') {
        bool known = false;
        std::string names;
        for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
            known = known || sub->get_name() == argv[1];
            names += (names.empty() ? "" : ", ") + sub->get_name();
        }
        if (!known) {
            print_error(std::string("unknown command '") + argv[1] + "' (commands: " + names +
                        "; see --help)");
            return 2;
        }
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::Success& e) {
        return app.exit(e); // --version
    } catch (const CLI::ParseError& e) {
        // Usage errors: one line like every other error, exit code 2 as GDAL's utilities.
        print_error(std::string(e.what()) + " (see --help)");
        return 2;
    }
    try {
        for (const Action& action : actions) {
            const int code = action();
            if (code >= 0)
                return code;
        }
        return 0;
    } catch (const landel::Cancelled&) {
        const int signal = stop_signal();
        print_error(signal == SIGTERM ? "stopped (SIGTERM); no output written"
                                      : "interrupted; no output written");
        return 128 + (signal ? signal : SIGINT);
    } catch (const std::exception& e) {
        print_error(e.what());
        return 1;
    }
}

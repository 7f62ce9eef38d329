#pragma once
// The subcommands: each declares its arguments and calls one pipeline function.

#include <CLI/CLI.hpp>

#include <functional>

namespace landel::cli {

/// A subcommand's action, run after parsing; returns the exit code.
using Action = std::function<int()>;

Action add_run_command(CLI::App& app);
Action add_validate_command(CLI::App& app);
Action add_delineate_command(CLI::App& app);
Action add_bid_command(CLI::App& app);
Action add_render_command(CLI::App& app);
Action add_compare_command(CLI::App& app);
Action add_batch_command(CLI::App& app);
Action add_presets_command(CLI::App& app);
Action add_init_command(CLI::App& app);

/// Prints "landel: error: MESSAGE" on stderr (one line).
void print_error(const std::string& message);
void print_warning(const std::string& message);

} // namespace landel::cli

#pragma once
/// @file staged_folder.h
/// Outputs appear complete under their final name or not at all: a run writes into a
/// temporary folder beside the output folder and renames it into place at the end.

#include <filesystem>
#include <string>
#include <vector>

namespace landel::pipeline {

/// Whether @p inner is @p outer or lies below it (both absolute and normalised).
bool is_within(const std::filesystem::path& inner, const std::filesystem::path& outer);

/// Removes the `<name>.tmp-<pid>` files and folders in @p dir whose process no longer exists
/// (a job killed outright cannot clean up after itself).
void remove_dead_staging(const std::filesystem::path& dir);

/// The temporary folder this process stages a job's output folder @p out (absolute and
/// normalised) in: `<out>.tmp-<pid>` beside it.
std::filesystem::path staging_path(const std::filesystem::path& out);

class StagedFolder
{
public:
    /// Checks the target and creates `<out>.tmp-<pid>` beside it. @p as_given is the path as
    /// the user wrote it (for messages). Throws Error when the folder exists and @p overwrite
    /// is false, when it equals or contains one of @p inputs, or when it cannot be written.
    StagedFolder(const std::filesystem::path& out,
                 std::string as_given,
                 bool overwrite,
                 const std::vector<std::filesystem::path>& inputs);
    /// Removes the temporary folder unless commit() succeeded.
    ~StagedFolder();
    StagedFolder(const StagedFolder&) = delete;
    StagedFolder& operator=(const StagedFolder&) = delete;

    /// Where to write now.
    const std::filesystem::path& path() const { return m_tmp; }
    const std::filesystem::path& final_path() const { return m_out; }

    /// Moves the finished folder into place (replacing an old one when overwriting).
    void commit();

private:
    std::filesystem::path m_out;
    std::filesystem::path m_tmp;
    std::string m_as_given;
    bool m_overwrite = false;
    bool m_committed = false;
};

} // namespace landel::pipeline

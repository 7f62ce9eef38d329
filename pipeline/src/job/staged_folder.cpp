#include "landel/pipeline/staged_folder.h"

#include "landel/core/error.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace landel::pipeline {

namespace fs = std::filesystem;

namespace {

fs::path sibling(const fs::path& out, const std::string& suffix)
{
    return out.parent_path() / (out.filename().string() + suffix + std::to_string(::getpid()));
}

/// The pid in a `<name>.tmp-<pid>` or `<name>.old-<pid>` sibling of @p out, or 0.
pid_t sibling_pid(const fs::path& out, const fs::path& candidate, const std::string& suffix)
{
    const std::string prefix = out.filename().string() + suffix;
    const std::string name = candidate.filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0)
        return 0;
    const std::string digits = name.substr(prefix.size());
    if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9)
        return 0;
    return static_cast<pid_t>(std::stol(digits));
}

bool process_alive(pid_t pid)
{
    return ::kill(pid, 0) == 0 || errno == EPERM;
}

/// A landel killed outright (SIGKILL, power loss) cannot remove its temporary folder. The
/// next job on the same output removes the folders of processes that no longer exist; an old
/// output folder it had moved aside for --overwrite goes back into place, so nothing the
/// user had is lost.
void clean_up_after_dead_jobs(const fs::path& out)
{
    std::error_code ec;
    std::vector<fs::path> siblings;
    for (const fs::directory_entry& e : fs::directory_iterator(out.parent_path(), ec))
        siblings.push_back(e.path());
    std::sort(siblings.begin(), siblings.end());
    for (const fs::path& path : siblings) {
        const pid_t tmp_pid = sibling_pid(out, path, ".tmp-");
        const pid_t old_pid = sibling_pid(out, path, ".old-");
        const pid_t pid = tmp_pid ? tmp_pid : old_pid;
        if (pid == 0 || pid == ::getpid() || process_alive(pid))
            continue;
        std::error_code ignore;
        if (old_pid && !fs::exists(out, ignore))
            fs::rename(path, out, ignore);
        else
            fs::remove_all(path, ignore);
    }
}

} // namespace

bool is_within(const fs::path& inner, const fs::path& outer)
{
    auto i = inner.begin();
    for (auto o = outer.begin(); o != outer.end(); ++o, ++i)
        if (i == inner.end() || *i != *o)
            return false;
    return true;
}

void remove_dead_staging(const fs::path& dir)
{
    std::error_code ec;
    std::vector<fs::path> dead;
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        const std::size_t at = name.rfind(".tmp-");
        if (at == std::string::npos || at == 0)
            continue;
        const pid_t pid = sibling_pid(dir / name.substr(0, at), e.path(), ".tmp-");
        if (pid != 0 && pid != ::getpid() && !process_alive(pid))
            dead.push_back(e.path());
    }
    for (const fs::path& p : dead)
        fs::remove_all(p, ec);
}

fs::path staging_path(const fs::path& out)
{
    return sibling(out, ".tmp-");
}

StagedFolder::StagedFolder(const fs::path& out,
                           std::string as_given,
                           bool overwrite,
                           const std::vector<fs::path>& inputs)
  : m_as_given(std::move(as_given))
  , m_overwrite(overwrite)
{
    std::error_code ec;
    m_out = fs::weakly_canonical(fs::absolute(out, ec), ec);
    if (ec || m_out.filename().empty())
        throw Error("--out '" + m_as_given + "': not a usable folder name");
    for (const fs::path& input : inputs) {
        const fs::path in = fs::weakly_canonical(fs::absolute(input, ec), ec);
        if (!ec && is_within(in, m_out))
            throw Error("--out '" + m_as_given + "' equals or contains the input '" +
                        input.string() + "'; choose another output folder");
    }
    if (fs::is_directory(m_out.parent_path(), ec))
        clean_up_after_dead_jobs(m_out);
    if (fs::exists(m_out, ec) && !overwrite)
        throw Error("--out '" + m_as_given + "' exists; use --overwrite to replace it");
    if (fs::exists(m_out, ec) && !fs::is_directory(m_out, ec))
        throw Error("--out '" + m_as_given + "' exists and is not a folder");

    fs::create_directories(m_out.parent_path(), ec);
    if (ec)
        throw Error("--out '" + m_as_given + "': cannot create its parent folder: " + ec.message());
    m_tmp = staging_path(m_out);
    fs::remove_all(m_tmp, ec);
    if (!fs::create_directory(m_tmp, ec) || ec)
        throw Error("--out '" + m_as_given + "': cannot write there: " +
                    (ec ? ec.message() : std::string("cannot create a folder")));
}

StagedFolder::~StagedFolder()
{
    if (!m_committed) {
        std::error_code ec;
        fs::remove_all(m_tmp, ec);
    }
}

void StagedFolder::commit()
{
    std::error_code ec;
    fs::path old;
    if (fs::exists(m_out, ec)) {
        if (!m_overwrite)
            throw Error("--out '" + m_as_given + "' appeared during the run; not replaced");
        // Rename the old folder aside first, so that the swap is two renames and an
        // interruption never leaves a mix of old and new files.
        old = sibling(m_out, ".old-");
        fs::remove_all(old, ec);
        fs::rename(m_out, old, ec);
        if (ec)
            throw Error("--out '" + m_as_given +
                        "': cannot move the old folder aside: " + ec.message());
    }
    fs::rename(m_tmp, m_out, ec);
    if (ec) {
        if (!old.empty())
            fs::rename(old, m_out, ec);
        throw Error("--out '" + m_as_given +
                    "': cannot move the results into place: " + ec.message());
    }
    m_committed = true;
    if (!old.empty())
        fs::remove_all(old, ec);
}

} // namespace landel::pipeline

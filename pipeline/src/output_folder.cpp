#include "landel/pipeline/output_folder.h"

#include "landel/core/error.h"

#include <unistd.h>

namespace landel::pipeline {

namespace fs = std::filesystem;

namespace {

bool is_within(const fs::path& inner, const fs::path& outer)
{
    auto i = inner.begin();
    for (auto o = outer.begin(); o != outer.end(); ++o, ++i)
        if (i == inner.end() || *i != *o)
            return false;
    return true;
}

fs::path sibling(const fs::path& out, const std::string& suffix)
{
    return out.parent_path() / (out.filename().string() + suffix + std::to_string(::getpid()));
}

} // namespace

StagedFolder::StagedFolder(const fs::path& out, std::string as_given, bool overwrite,
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
    if (fs::exists(m_out, ec) && !overwrite)
        throw Error("--out '" + m_as_given + "' exists; use --overwrite to replace it");
    if (fs::exists(m_out, ec) && !fs::is_directory(m_out, ec))
        throw Error("--out '" + m_as_given + "' exists and is not a folder");

    fs::create_directories(m_out.parent_path(), ec);
    if (ec)
        throw Error("--out '" + m_as_given + "': cannot create its parent folder: " + ec.message());
    m_tmp = sibling(m_out, ".tmp-");
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
            throw Error("--out '" + m_as_given + "': cannot move the old folder aside: " +
                        ec.message());
    }
    fs::rename(m_tmp, m_out, ec);
    if (ec) {
        if (!old.empty())
            fs::rename(old, m_out, ec);
        throw Error("--out '" + m_as_given + "': cannot move the results into place: " +
                    ec.message());
    }
    m_committed = true;
    if (!old.empty())
        fs::remove_all(old, ec);
}

} // namespace landel::pipeline

// StagedFolder: outputs appear complete under their final name or not at all, also after a
// job was killed outright and could not clean up.
#include "landel/core/error.h"
#include "landel/pipeline/staged_folder.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using landel::pipeline::StagedFolder;

namespace {

/// A pid that belonged to a process which has ended.
pid_t dead_pid()
{
    const pid_t child = ::fork();
    if (child == 0)
        ::_exit(0);
    int status = 0;
    ::waitpid(child, &status, 0);
    return child;
}

fs::path fresh_dir(const std::string& name)
{
    const fs::path dir =
      fs::temp_directory_path() / ("landel-test-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

void touch(const fs::path& file, const std::string& text)
{
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
}

} // namespace

TEST(StagedFolder, CommitMovesTheFolderIntoPlace)
{
    const fs::path dir = fresh_dir("commit");
    {
        StagedFolder folder(dir / "out", "out", false, {});
        EXPECT_TRUE(fs::is_directory(folder.path()));
        EXPECT_FALSE(fs::exists(dir / "out"));
        touch(folder.path() / "a.csv", "x");
        folder.commit();
    }
    EXPECT_TRUE(fs::is_regular_file(dir / "out" / "a.csv"));
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
    fs::remove_all(dir);
}

TEST(StagedFolder, WithoutCommitNothingIsLeft)
{
    const fs::path dir = fresh_dir("abandon");
    {
        StagedFolder folder(dir / "out", "out", false, {});
        touch(folder.path() / "a.csv", "x");
    }
    EXPECT_TRUE(fs::is_empty(dir));
    fs::remove_all(dir);
}

TEST(StagedFolder, RemovesTheTemporaryFolderOfAKilledJob)
{
    const fs::path dir = fresh_dir("killed");
    const fs::path stale = dir / ("out.tmp-" + std::to_string(dead_pid()));
    touch(stale / "half.gpkg", "partial");
    const fs::path other = dir / "other.tmp-1"; // another output's, and pid 1 is alive
    touch(other / "x", "x");
    {
        StagedFolder folder(dir / "out", "out", false, {});
        EXPECT_FALSE(fs::exists(stale));
        EXPECT_TRUE(fs::exists(other));
    }
    fs::remove_all(dir);
}

TEST(StagedFolder, PutsBackAnOldFolderAKilledOverwriteHadMovedAside)
{
    // Killed between its two renames: the old output is aside, the new one never arrived.
    const fs::path dir = fresh_dir("aside");
    touch(dir / ("out.old-" + std::to_string(dead_pid())) / "old.csv", "old");
    try {
        StagedFolder folder(dir / "out", "out", false, {});
        FAIL() << "the restored folder exists, so without --overwrite this is an error";
    } catch (const landel::Error& e) {
        EXPECT_NE(std::string(e.what()).find("--out 'out' exists"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(fs::is_regular_file(dir / "out" / "old.csv"));
    fs::remove_all(dir);
}

TEST(StagedFolder, RemoveDeadStagingKeepsLiveAndUnrelatedEntries)
{
    const fs::path dir = fresh_dir("batch");
    const fs::path dead = dir / ("Utrecht.tmp-" + std::to_string(dead_pid()));
    const fs::path dead_file = dir / ("area_bid.csv.tmp-" + std::to_string(dead_pid()));
    const fs::path live = dir / ("Zeeland.tmp-" + std::to_string(::getpid()));
    touch(dead / "x", "x");
    touch(dead_file, "x");
    touch(live / "x", "x");
    touch(dir / "Limburg" / "summary.json", "{}");
    landel::pipeline::remove_dead_staging(dir);
    EXPECT_FALSE(fs::exists(dead));
    EXPECT_FALSE(fs::exists(dead_file));
    EXPECT_TRUE(fs::exists(live));
    EXPECT_TRUE(fs::exists(dir / "Limburg" / "summary.json"));
    fs::remove_all(dir);
}

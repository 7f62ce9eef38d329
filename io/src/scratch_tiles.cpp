#include "landel/io/scratch_tiles.h"
#include "landel/io/error.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace landel::io {

namespace {

class ScratchFile final : public TileStorage
{
public:
    ScratchFile(const std::filesystem::path& directory, std::size_t tile_bytes)
      : m_directory(directory)
      , m_slot(tile_bytes)
    {
        std::string pattern = (directory / "landel-tiles-XXXXXX").string();
        m_fd = ::mkstemp(pattern.data());
        if (m_fd < 0)
            throw IoError("cannot make a scratch file in '" + directory.string() +
                          "': " + std::strerror(errno));
        ::unlink(pattern.c_str()); // gone when closed, whatever happens
    }
    ~ScratchFile() override { ::close(m_fd); }
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;

    void write(std::size_t tile, const void* data, std::size_t bytes) override
    {
        const auto* p = static_cast<const char*>(data);
        off_t at = off_t(tile * m_slot);
        while (bytes > 0) {
            const ssize_t n = ::pwrite(m_fd, p, bytes, at);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                throw IoError("cannot write a scratch file in '" + m_directory.string() +
                              "': " + std::strerror(errno));
            p += n;
            at += n;
            bytes -= std::size_t(n);
        }
    }

    void read(std::size_t tile, std::size_t offset, void* data, std::size_t bytes) const override
    {
        auto* p = static_cast<char*>(data);
        off_t at = off_t(tile * m_slot + offset);
        while (bytes > 0) {
            const ssize_t n = ::pread(m_fd, p, bytes, at);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                throw IoError("cannot read a scratch file in '" + m_directory.string() +
                              "': " + (n == 0 ? std::string("short file") : std::strerror(errno)));
            p += n;
            at += n;
            bytes -= std::size_t(n);
        }
    }

private:
    std::filesystem::path m_directory;
    std::size_t m_slot;
    int m_fd = -1;
};

} // namespace

TileStorageFactory scratch_tile_storage(const std::filesystem::path& directory)
{
    return [directory](std::size_t /*tiles*/, std::size_t tile_bytes) {
        return std::unique_ptr<TileStorage>(std::make_unique<ScratchFile>(directory, tile_bytes));
    };
}

} // namespace landel::io

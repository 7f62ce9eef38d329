// SHA-256 of files and texts for the run manifest; the hash itself is landel/core/sha256.h
// (shared with render/). GDAL 3.6 does not install its internal implementation's header.
#include "landel/core/sha256.h"
#include "landel/io/error.h"
#include "landel/io/table_writers.h"

#include <cstdio>
#include <fstream>
#include <vector>

namespace landel::io {

namespace {

std::string hex(const std::array<unsigned char, 32>& digest)
{
    std::string out;
    char buf[3];
    for (unsigned char b : digest) {
        std::snprintf(buf, sizeof buf, "%02x", b);
        out += buf;
    }
    return out;
}

} // namespace

std::string sha256_file(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw IoError("cannot read '" + path.string() + "' to checksum it");
    Sha256 hash;
    std::vector<char> buf(1 << 16);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        hash.update(reinterpret_cast<const unsigned char*>(buf.data()),
                    static_cast<std::size_t>(in.gcount()));
    }
    return hex(hash.digest());
}

std::string sha256_text(std::string_view bytes)
{
    return hex(sha256(bytes));
}

} // namespace landel::io

// SHA-256 of files and texts for the run manifest. Files go through OpenSSL, whose SHA
// extensions hash about 1.7 GB/s here, ten times landel/core/sha256.h: a comparison hashes
// its runs' areas.gpkg, hundreds of MB each. Texts use landel/core/sha256.h (shared with
// render/, which has no OpenSSL).
#include "landel/core/sha256.h"
#include "landel/io/error.h"
#include "landel/io/table_writers.h"

#include <openssl/evp.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <vector>

namespace landel::io {

namespace {

std::string hex(const unsigned char* digest, std::size_t size)
{
    std::string out;
    char buf[3];
    for (std::size_t i = 0; i < size; ++i) {
        std::snprintf(buf, sizeof buf, "%02x", digest[i]);
        out += buf;
    }
    return out;
}

struct FreeDigest
{
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

} // namespace

std::string sha256_file(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw IoError("cannot read '" + path.string() + "' to checksum it");
    const std::unique_ptr<EVP_MD_CTX, FreeDigest> hash(EVP_MD_CTX_new());
    if (!hash || EVP_DigestInit_ex(hash.get(), EVP_sha256(), nullptr) != 1)
        throw IoError("cannot start the checksum of '" + path.string() + "' (OpenSSL)");
    std::vector<char> buf(1 << 20);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        EVP_DigestUpdate(hash.get(), buf.data(), static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad())
        throw IoError("cannot read '" + path.string() + "' to checksum it");
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(hash.get(), digest, &size);
    return hex(digest, size);
}

std::string sha256_text(std::string_view bytes)
{
    const std::array<unsigned char, 32> digest = sha256(bytes);
    return hex(digest.data(), digest.size());
}

} // namespace landel::io

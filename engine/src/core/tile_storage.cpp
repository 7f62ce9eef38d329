#include "landel/core/tiled_raster.h"

#include <cstring>

namespace landel {

namespace {

class MemoryTileStorage final : public TileStorage
{
public:
    explicit MemoryTileStorage(std::size_t tiles)
      : m_tiles(tiles)
    {
    }

    void write(std::size_t tile, const void* data, std::size_t bytes) override
    {
        const auto* from = static_cast<const unsigned char*>(data);
        m_tiles[tile].assign(from, from + bytes);
    }

    void read(std::size_t tile, std::size_t offset, void* data, std::size_t bytes) const override
    {
        std::memcpy(data, m_tiles[tile].data() + offset, bytes);
    }

private:
    std::vector<std::vector<unsigned char>> m_tiles;
};

} // namespace

std::unique_ptr<TileStorage> memory_tile_storage(std::size_t tiles, std::size_t /*tile_bytes*/)
{
    return std::make_unique<MemoryTileStorage>(tiles);
}

} // namespace landel

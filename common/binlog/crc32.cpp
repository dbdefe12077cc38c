#include "common/binlog/crc32.hpp"

#include <zlib.h>

#include <algorithm>

namespace mha::binlog {

std::uint32_t crc32(std::uint32_t crc, const std::uint8_t* data, std::size_t size) {
    // zlib takes uInt lengths: feed huge inputs in slices.
    constexpr std::size_t kSlice = 1U << 30;
    uLong c = crc;
    while (size > 0) {
        const std::size_t n = std::min(size, kSlice);
        c = ::crc32(c, data, static_cast<uInt>(n));
        data += n;
        size -= n;
    }
    return static_cast<std::uint32_t>(c);
}

}  // namespace mha::binlog

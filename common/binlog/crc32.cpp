#include "common/binlog/crc32.hpp"

#if MHA_HAVE_ISAL
#include <isa-l/crc.h>
#else
#include <zlib.h>

#include <algorithm>
#endif

namespace mha::binlog {

#if MHA_HAVE_ISAL

std::uint32_t crc32(std::uint32_t crc, const std::uint8_t* data, std::size_t size) {
    // crc32_gzip_refl takes and returns the finished value (it inverts on entry and exit),
    // like zlib's crc32. Its buffer parameter is not const but is only read.
    return ::crc32_gzip_refl(crc, const_cast<std::uint8_t*>(data), size);
}

const char* crc32_backend() { return "isa-l"; }

#else

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

const char* crc32_backend() { return "zlib"; }

#endif

}  // namespace mha::binlog

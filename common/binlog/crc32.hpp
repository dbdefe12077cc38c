#pragma once

#include <cstddef>
#include <cstdint>

namespace mha::binlog {

/// CRC-32 (ISO-HDLC, the polynomial the binlog uses), computed by zlib (about twice as fast
/// as a portable slicing-by-8 here). `crc` is the running value of a previous call (0 to start).
std::uint32_t crc32(std::uint32_t crc, const std::uint8_t* data, std::size_t size);

}  // namespace mha::binlog

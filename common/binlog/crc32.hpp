#pragma once

#include <cstddef>
#include <cstdint>

namespace mha::binlog {

/// CRC-32 (ISO-HDLC: reflected polynomial 0xEDB88320, init and final xor ~0, as zlib's and
/// the server's my_checksum). `crc` is the running value of a previous call (0 to start), so
/// crc32(crc32(0, a), b) == crc32(0, a + b). Computed by Intel ISA-L's carry-less-multiply
/// folding when the build found libisal (about 3.5x zlib 1.2.13 here), else by zlib.
std::uint32_t crc32(std::uint32_t crc, const std::uint8_t* data, std::size_t size);

/// The implementation in use: "isa-l" or "zlib".
const char* crc32_backend();

}  // namespace mha::binlog

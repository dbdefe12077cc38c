#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "common/util/result.hpp"

namespace mha::binlog {

/// Where a reader's bytes come from: a file, or memory (tests, fuzzing, streams).
class ByteSource {
public:
    virtual ~ByteSource() = default;
    /// Reads up to `max` bytes into `dst`; 0 means the end. Errors carry errno in native_code.
    virtual Result<std::size_t> read(std::uint8_t* dst, std::size_t max) = 0;
};

/// Opens a file for sequential reading. Errors: NotFound, PermissionDenied, Unavailable.
Result<std::unique_ptr<ByteSource>> open_file_source(const std::string& path);

/// A source over bytes the caller keeps alive while the source is used.
std::unique_ptr<ByteSource> memory_source(std::span<const std::uint8_t> data);

}  // namespace mha::binlog

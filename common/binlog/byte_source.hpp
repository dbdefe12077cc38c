#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "common/util/result.hpp"

namespace mha::binlog {

/// Where a reader's bytes come from, in chunks it reads in place: a file, or memory (tests,
/// fuzzing, streams).
class ByteSource {
public:
    virtual ~ByteSource() = default;
    /// The next bytes in order, valid until the next call; empty at the end (the end stays
    /// the end). Errors carry errno in native_code.
    virtual Result<std::span<const std::uint8_t>> next_chunk() = 0;
};

/// Opens a file for sequential reading in chunks of `chunk_size` bytes. Once the caller reads
/// on past the first chunk, a helper thread reads the next chunk while the caller works on
/// the current one. Errors: NotFound, PermissionDenied, Unavailable.
Result<std::unique_ptr<ByteSource>> open_file_source(const std::string& path,
                                                     std::size_t chunk_size);

/// A source over bytes the caller keeps alive while the source is used, handed out in views
/// of at most `chunk_size` bytes (no copy).
std::unique_ptr<ByteSource> memory_source(std::span<const std::uint8_t> data,
                                          std::size_t chunk_size);

}  // namespace mha::binlog

#pragma once

#include <string>
#include <vector>

#include "common/http/request.hpp"
#include "common/util/result.hpp"

namespace mha::agent {

/// Splits a request body made of concatenated binlog streams (each: magic, format
/// description, events) into one file per stream, `dir`/segment-N.binlog, copying in bounded
/// pieces. A new stream starts where an event boundary holds the magic followed by a format
/// description header. Returns the files in order (none for an empty body). Errors:
/// InvalidArgument (no magic, an impossible event size, a body cut inside an event), the
/// reader's errors, Internal (disk).
Result<std::vector<std::string>> spool_segments(http::BodyReader& body, const std::string& dir);

/// Reads every spooled segment through (checksums, event structure) before anything touches
/// mysqld: a bad body is the client's fault. Errors: InvalidArgument naming the segment and
/// the offset ("request body segment 2: …:1234: CRC32 mismatch …").
Result<void> check_segments(const std::vector<std::string>& segments);

}  // namespace mha::agent

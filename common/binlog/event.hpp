#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.hpp"

namespace mha::binlog {

/// Binlog v4 event type codes (MySQL and MariaDB share 0..35; 160+ are MariaDB's).
enum class EventType : std::uint8_t {
    Unknown = 0,
    StartV3 = 1,
    Query = 2,
    Stop = 3,
    Rotate = 4,
    Intvar = 5,
    Rand = 13,
    UserVar = 14,
    FormatDescription = 15,
    Xid = 16,
    Incident = 26,
    Heartbeat = 27,
    RowsQuery = 29,
    TableMap = 19,
    WriteRowsV1 = 23,
    UpdateRowsV1 = 24,
    DeleteRowsV1 = 25,
    WriteRows = 30,
    UpdateRows = 31,
    DeleteRows = 32,
    MysqlGtid = 33,
    MysqlAnonymousGtid = 34,
    MysqlPreviousGtids = 35,
    XaPrepare = 38,
    AnnotateRows = 160,
    BinlogCheckpoint = 161,
    MariadbGtid = 162,
    MariadbGtidList = 163,
    StartEncryption = 164,
};

/// Short name of an event type for messages ("Query", "Gtid", "type 77" when unknown).
std::string event_type_name(std::uint8_t type);

/// Checksum algorithm a format description announces for the events after it.
enum class ChecksumAlg : std::uint8_t { Off = 0, Crc32 = 1 };

inline constexpr std::size_t kHeaderSize = 19;
inline constexpr std::size_t kChecksumSize = 4;
inline constexpr std::uint64_t kMagicSize = 4;
inline constexpr std::uint8_t kMagic[4] = {0xFE, 'b', 'i', 'n'};
/// Header flag: set in the format description while the server has the file open.
inline constexpr std::uint16_t kFlagBinlogInUse = 0x0001;
/// Header flag: the event was made up by the server (fake rotate), not logged.
inline constexpr std::uint16_t kFlagArtificial = 0x0020;
/// Events larger than this are taken as corruption (max_allowed_packet's ceiling).
inline constexpr std::uint32_t kMaxEventSize = 1024U * 1024U * 1024U;

/// The common 19-byte header of every v4 event.
struct EventHeader {
    std::uint32_t timestamp = 0;
    std::uint8_t type = 0;
    std::uint32_t server_id = 0;
    std::uint32_t event_size = 0;
    std::uint32_t log_pos = 0;  ///< end position in the binlog that logged it (0: artificial)
    std::uint16_t flags = 0;
};

/// One event as it lies in its file. The byte views stay valid until the reader moves on.
struct Event {
    EventHeader header;
    std::uint64_t offset = 0;           ///< where the event starts in its file
    std::span<const std::uint8_t> bytes;  ///< the whole event, checksum included
    std::span<const std::uint8_t> body;   ///< after the header, without the checksum
    bool has_checksum = false;

    [[nodiscard]] EventType type() const { return static_cast<EventType>(header.type); }
    [[nodiscard]] std::uint64_t end() const { return offset + header.event_size; }
};

/// Decoded format description event: how to read the events that follow it.
struct FormatDescription {
    std::uint16_t binlog_version = 4;
    std::string server_version;
    std::uint32_t created = 0;
    std::uint8_t header_length = kHeaderSize;
    std::vector<std::uint8_t> post_header_lengths;  ///< index = type - 1
    ChecksumAlg checksum = ChecksumAlg::Off;
    bool checksum_aware = true;  ///< carries the algorithm byte (MySQL >= 5.6.1, MariaDB >= 5.3)

    /// Post-header length of an event type; `fallback` when the table does not list it.
    [[nodiscard]] std::size_t post_header_length(EventType type, std::size_t fallback) const;
};

/// Little-endian field readers over raw event bytes (callers check the bounds).
std::uint16_t load_u16(const std::uint8_t* p);
std::uint32_t load_u32(const std::uint8_t* p);
std::uint64_t load_u64(const std::uint8_t* p);
void store_u32(std::uint8_t* p, std::uint32_t v);
void store_u16(std::uint8_t* p, std::uint16_t v);

/// Reads the common header from at least kHeaderSize bytes.
EventHeader parse_header(const std::uint8_t* p);
/// Writes `h` into the first kHeaderSize bytes of `p`.
void store_header(std::uint8_t* p, const EventHeader& h);

/// Decodes a whole format description event (header included). Errors: InvalidArgument.
Result<FormatDescription> parse_format_description(std::span<const std::uint8_t> event);

/// Encodes a format description event with `fd`'s tables and checksum algorithm (its CRC32
/// filled in when the algorithm is CRC32), log_pos = 4 + size, flags `flags`.
std::vector<std::uint8_t> encode_format_description(const FormatDescription& fd,
                                                    std::uint32_t server_id,
                                                    std::uint32_t timestamp,
                                                    std::uint16_t flags);

/// CRC32 of a whole event (checksum excluded) as the server computes it: for a format
/// description, with the in-use flag cleared (servers clear it on close without re-summing).
std::uint32_t event_crc32(std::span<const std::uint8_t> event_without_checksum);

}  // namespace mha::binlog

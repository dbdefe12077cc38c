#include "common/binlog/event.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "common/binlog/crc32.hpp"

namespace mha::binlog {
namespace {

// Layout of the format description body (MySQL internals, "FORMAT_DESCRIPTION_EVENT").
constexpr std::size_t kFdVersionOffset = 0;
constexpr std::size_t kFdServerVersionOffset = 2;
constexpr std::size_t kFdServerVersionSize = 50;
constexpr std::size_t kFdCreatedOffset = 52;
constexpr std::size_t kFdHeaderLengthOffset = 56;
constexpr std::size_t kFdPostHeaderOffset = 57;

// The checksum algorithm byte exists from MySQL 5.6.1 and MariaDB 5.3.0 on.
bool version_is_checksum_aware(std::string_view version) {
    unsigned major = 0;
    unsigned minor = 0;
    unsigned patch = 0;
    std::string text(version.substr(0, 20));
    if (std::sscanf(text.c_str(), "%u.%u.%u", &major, &minor, &patch) != 3) {
        return false;
    }
    const unsigned v = major * 10000 + minor * 100 + patch;
    const bool mariadb = version.find("MariaDB") != std::string_view::npos;
    return mariadb ? v >= 50300 : v >= 50601;
}

}  // namespace

std::string event_type_name(std::uint8_t type) {
    switch (static_cast<EventType>(type)) {
        case EventType::Query: return "Query";
        case EventType::Stop: return "Stop";
        case EventType::Rotate: return "Rotate";
        case EventType::Intvar: return "Intvar";
        case EventType::Rand: return "Rand";
        case EventType::UserVar: return "User_var";
        case EventType::FormatDescription: return "Format_description";
        case EventType::Xid: return "Xid";
        case EventType::Incident: return "Incident";
        case EventType::Heartbeat: return "Heartbeat";
        case EventType::TableMap: return "Table_map";
        case EventType::WriteRowsV1:
        case EventType::WriteRows: return "Write_rows";
        case EventType::UpdateRowsV1:
        case EventType::UpdateRows: return "Update_rows";
        case EventType::DeleteRowsV1:
        case EventType::DeleteRows: return "Delete_rows";
        case EventType::MysqlGtid: return "Gtid";
        case EventType::MysqlAnonymousGtid: return "Anonymous_Gtid";
        case EventType::MysqlPreviousGtids: return "Previous_gtids";
        case EventType::XaPrepare: return "XA_prepare";
        case EventType::AnnotateRows: return "Annotate_rows";
        case EventType::BinlogCheckpoint: return "Binlog_checkpoint";
        case EventType::MariadbGtid: return "Gtid";
        case EventType::MariadbGtidList: return "Gtid_list";
        case EventType::StartEncryption: return "Start_encryption";
        default: return "type " + std::to_string(type);
    }
}

std::size_t FormatDescription::post_header_length(EventType type, std::size_t fallback) const {
    const auto index = static_cast<std::size_t>(type);
    if (index == 0 || index > post_header_lengths.size()) {
        return fallback;
    }
    return post_header_lengths[index - 1];
}

std::uint16_t load_u16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}

std::uint32_t load_u32(const std::uint8_t* p) {
    std::uint32_t v = 0;
    std::memcpy(&v, p, 4);  // little-endian hosts only
    return v;
}

std::uint64_t load_u64(const std::uint8_t* p) {
    std::uint64_t v = 0;
    std::memcpy(&v, p, 8);
    return v;
}

void store_u32(std::uint8_t* p, std::uint32_t v) { std::memcpy(p, &v, 4); }

void store_u16(std::uint8_t* p, std::uint16_t v) { std::memcpy(p, &v, 2); }

EventHeader parse_header(const std::uint8_t* p) {
    EventHeader h;
    h.timestamp = load_u32(p);
    h.type = p[4];
    h.server_id = load_u32(p + 5);
    h.event_size = load_u32(p + 9);
    h.log_pos = load_u32(p + 13);
    h.flags = load_u16(p + 17);
    return h;
}

void store_header(std::uint8_t* p, const EventHeader& h) {
    store_u32(p, h.timestamp);
    p[4] = h.type;
    store_u32(p + 5, h.server_id);
    store_u32(p + 9, h.event_size);
    store_u32(p + 13, h.log_pos);
    store_u16(p + 17, h.flags);
}

std::uint32_t event_crc32(std::span<const std::uint8_t> event) {
    if (event.size() < kHeaderSize) {
        return crc32(0, event.data(), event.size());
    }
    // The server sums every header with the in-use flag dropped (only a format description
    // ever has it), so closing a file can clear the flag without re-summing.
    std::uint8_t flags_low = event[17] & static_cast<std::uint8_t>(~kFlagBinlogInUse);
    std::uint32_t c = crc32(0, event.data(), 17);
    c = crc32(c, &flags_low, 1);
    return crc32(c, event.data() + 18, event.size() - 18);
}

Result<FormatDescription> parse_format_description(std::span<const std::uint8_t> event) {
    if (event.size() < kHeaderSize + kFdPostHeaderOffset) {
        return make_error(ErrorCode::InvalidArgument,
                          "format description too short (" + std::to_string(event.size()) +
                              " bytes)");
    }
    const std::uint8_t* body = event.data() + kHeaderSize;
    FormatDescription fd;
    fd.binlog_version = load_u16(body + kFdVersionOffset);
    const auto* sv = reinterpret_cast<const char*>(body + kFdServerVersionOffset);
    fd.server_version.assign(sv, strnlen(sv, kFdServerVersionSize));
    fd.created = load_u32(body + kFdCreatedOffset);
    fd.header_length = body[kFdHeaderLengthOffset];
    if (fd.binlog_version != 4 || fd.header_length < kHeaderSize) {
        return make_error(ErrorCode::InvalidArgument,
                          "unsupported binlog version " + std::to_string(fd.binlog_version) +
                              " / header length " + std::to_string(fd.header_length));
    }
    std::size_t tables = event.size() - kHeaderSize - kFdPostHeaderOffset;
    fd.checksum_aware = version_is_checksum_aware(fd.server_version);
    if (fd.checksum_aware) {
        // ... post-header lengths, algorithm byte, 4 checksum bytes (zero when Off).
        if (tables < 1 + kChecksumSize) {
            return make_error(ErrorCode::InvalidArgument,
                              "format description lacks its checksum algorithm byte");
        }
        tables -= 1 + kChecksumSize;
        const std::uint8_t alg = event[event.size() - kChecksumSize - 1];
        if (alg != 0 && alg != 1) {
            return make_error(ErrorCode::InvalidArgument,
                              "unknown checksum algorithm " + std::to_string(alg));
        }
        fd.checksum = static_cast<ChecksumAlg>(alg);
    }
    const std::uint8_t* table = body + kFdPostHeaderOffset;
    fd.post_header_lengths.assign(table, table + tables);
    return fd;
}

std::vector<std::uint8_t> encode_format_description(const FormatDescription& fd,
                                                    std::uint32_t server_id,
                                                    std::uint32_t timestamp,
                                                    std::uint16_t flags) {
    const std::size_t size = kHeaderSize + kFdPostHeaderOffset + fd.post_header_lengths.size() +
                             (fd.checksum_aware ? 1 + kChecksumSize : 0);
    std::vector<std::uint8_t> out(size, 0);
    EventHeader h;
    h.timestamp = timestamp;
    h.type = static_cast<std::uint8_t>(EventType::FormatDescription);
    h.server_id = server_id;
    h.event_size = static_cast<std::uint32_t>(size);
    h.log_pos = static_cast<std::uint32_t>(kMagicSize + size);
    h.flags = flags;
    store_header(out.data(), h);
    std::uint8_t* body = out.data() + kHeaderSize;
    store_u16(body + kFdVersionOffset, fd.binlog_version);
    std::memcpy(body + kFdServerVersionOffset, fd.server_version.data(),
                std::min(fd.server_version.size(), kFdServerVersionSize - 1));
    store_u32(body + kFdCreatedOffset, fd.created);
    body[kFdHeaderLengthOffset] = fd.header_length;
    std::copy(fd.post_header_lengths.begin(), fd.post_header_lengths.end(),
              body + kFdPostHeaderOffset);
    if (fd.checksum_aware) {
        out[size - kChecksumSize - 1] = static_cast<std::uint8_t>(fd.checksum);
        if (fd.checksum == ChecksumAlg::Crc32) {
            const auto crc = event_crc32({out.data(), size - kChecksumSize});
            store_u32(out.data() + size - kChecksumSize, crc);
        }
    }
    return out;
}

}  // namespace mha::binlog

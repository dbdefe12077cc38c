#include "manager/failover/gtid_segments.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>

#include "common/binlog/event_reader.hpp"
#include "common/binlog/events.hpp"

namespace mha::manager {
namespace {

using File = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

/// Events that belong to no transaction: kept whatever group they sit in.
bool outside_groups(binlog::EventType t) {
    switch (t) {
        case binlog::EventType::FormatDescription:
        case binlog::EventType::Rotate:
        case binlog::EventType::Stop:
        case binlog::EventType::Heartbeat:
        case binlog::EventType::MariadbGtidList:
        case binlog::EventType::BinlogCheckpoint:
        case binlog::EventType::MysqlPreviousGtids:
            return true;
        default:
            return false;
    }
}

}  // namespace

std::string uuid_text(const std::uint8_t* sid) {
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            out += '-';
        }
        out += hex[sid[i] >> 4];
        out += hex[sid[i] & 15];
    }
    return out;
}

Result<FilteredSegment> filter_present_transactions(const std::string& in, const std::string& out,
                                                    const GtidPresence& present) {
    FilteredSegment result;
    File file(std::fopen(out.c_str(), "wb"), &std::fclose);
    if (!file) {
        return make_error(ErrorCode::Internal, out + ": cannot write");
    }
    std::error_code ec;
    if (std::filesystem::file_size(in, ec) == 0 && !ec) {
        return result;
    }
    auto reader = binlog::EventReader::open_file(in);
    if (!reader) {
        return tl::unexpected(reader.error());
    }
    if (std::fwrite(binlog::kMagic, 1, sizeof binlog::kMagic, file.get()) !=
        sizeof binlog::kMagic) {
        return make_error(ErrorCode::Internal, out + ": cannot write");
    }
    bool skipping = false;
    auto copied = binlog::for_each_event(*reader, [&](const binlog::Event& event) -> Result<void> {
        const auto type = event.type();
        if (type == binlog::EventType::MariadbGtid) {
            auto g = binlog::decode_mariadb_gtid(event, reader->format());
            if (!g) {
                return tl::unexpected(g.error());
            }
            const gtid::MariadbGtid id{g->gtid.domain_id, g->gtid.server_id, g->gtid.seq_no};
            skipping = present.mariadb(id);
            if (skipping) {
                ++result.skipped;
                if (result.skipped_gtids.size() < 5) {
                    result.skipped_gtids.push_back(id.str());
                }
            } else {
                ++result.kept;
                result.mariadb_kept.merge(id);
            }
        } else if (type == binlog::EventType::MysqlGtid) {
            auto g = binlog::decode_mysql_gtid(event);
            if (!g) {
                return tl::unexpected(g.error());
            }
            const auto uuid = uuid_text(g->sid.data());
            skipping = present.mysql(uuid, g->gno);
            const auto gno = static_cast<std::uint64_t>(g->gno);
            if (skipping) {
                ++result.skipped;
                if (result.skipped_gtids.size() < 5) {
                    result.skipped_gtids.push_back(uuid + ":" + std::to_string(gno));
                }
            } else {
                ++result.kept;
                result.mysql_kept.add(uuid, {gno, gno});
            }
        } else if (type == binlog::EventType::MysqlAnonymousGtid) {
            skipping = false;
        }
        if (skipping && !outside_groups(type)) {
            return {};
        }
        if (std::fwrite(event.bytes.data(), 1, event.bytes.size(), file.get()) !=
            event.bytes.size()) {
            return make_error(ErrorCode::Internal, out + ": cannot write");
        }
        return {};
    });
    if (!copied) {
        return tl::unexpected(copied.error());
    }
    if (const auto& tail = reader->partial_tail()) {
        return make_error(ErrorCode::InvalidArgument,
                          in + ": ends inside an event at offset " + std::to_string(tail->offset));
    }
    if (std::fflush(file.get()) != 0) {
        return make_error(ErrorCode::Internal, out + ": cannot write");
    }
    return result;
}

}  // namespace mha::manager

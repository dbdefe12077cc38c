#include "common/binlog/events.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace mha::binlog {
namespace {

tl::unexpected<Error> too_short(const Event& e, std::string_view field) {
    return make_error(ErrorCode::InvalidArgument,
                      "offset " + std::to_string(e.offset) + ": " +
                          event_type_name(e.header.type) + " event too short for its " +
                          std::string(field));
}

tl::unexpected<Error> wrong_type(const Event& e, EventType want) {
    return make_error(ErrorCode::InvalidArgument,
                      "offset " + std::to_string(e.offset) + ": expected " +
                          event_type_name(static_cast<std::uint8_t>(want)) + ", found " +
                          event_type_name(e.header.type));
}

std::string_view as_text(std::span<const std::uint8_t> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// Case-insensitive "statement starts with word", the word followed by the end or a blank.
bool starts_with_word(std::string_view s, std::string_view word) {
    if (s.size() < word.size()) {
        return false;
    }
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (std::toupper(static_cast<unsigned char>(s[i])) != word[i]) {
            return false;
        }
    }
    return s.size() == word.size() || std::isspace(static_cast<unsigned char>(s[word.size()])) ||
           s[word.size()] == ';' || s[word.size()] == '/';
}

std::string_view skip_blanks(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
    }
    return s;
}

QueryKind classify_xa(std::string_view rest) {
    rest = skip_blanks(rest);
    if (starts_with_word(rest, "START") || starts_with_word(rest, "BEGIN")) {
        return QueryKind::XaStart;
    }
    if (starts_with_word(rest, "END")) {
        return QueryKind::XaEnd;
    }
    if (starts_with_word(rest, "PREPARE")) {
        return QueryKind::XaPrepare;
    }
    if (starts_with_word(rest, "COMMIT")) {
        return QueryKind::XaCommit;
    }
    if (starts_with_word(rest, "ROLLBACK")) {
        return QueryKind::XaRollback;
    }
    return QueryKind::Other;
}

}  // namespace

QueryKind classify_query(std::string_view statement) {
    const std::string_view s = skip_blanks(statement);
    if (starts_with_word(s, "BEGIN")) {
        return QueryKind::Begin;
    }
    if (starts_with_word(s, "COMMIT")) {
        return QueryKind::Commit;
    }
    if (starts_with_word(s, "ROLLBACK")) {
        // "ROLLBACK TO [SAVEPOINT] x" stays inside the transaction.
        return starts_with_word(skip_blanks(s.substr(8)), "TO") ? QueryKind::Other
                                                               : QueryKind::Rollback;
    }
    if (starts_with_word(s, "XA")) {
        return classify_xa(s.substr(2));
    }
    return QueryKind::Other;
}

Result<RotateEvent> decode_rotate(const Event& e, const FormatDescription& fd) {
    if (e.type() != EventType::Rotate) {
        return wrong_type(e, EventType::Rotate);
    }
    const std::size_t post = fd.post_header_length(EventType::Rotate, 8);
    if (e.body.size() < 8 || post < 8 || e.body.size() < post) {
        return too_short(e, "position");
    }
    RotateEvent r;
    r.position = load_u64(e.body.data());
    r.next_file = std::string(as_text(e.body.subspan(post)));
    return r;
}

Result<QueryEvent> decode_query(const Event& e, const FormatDescription& fd) {
    if (e.type() != EventType::Query) {
        return wrong_type(e, EventType::Query);
    }
    const std::size_t post = fd.post_header_length(EventType::Query, 13);
    if (post < 13 || e.body.size() < post) {
        return too_short(e, "post-header");
    }
    const std::uint8_t* b = e.body.data();
    QueryEvent q;
    q.thread_id = load_u32(b);
    q.exec_time = load_u32(b + 4);
    const std::size_t db_len = b[8];
    q.error_code = load_u16(b + 9);
    const std::size_t status_len = load_u16(b + 11);
    const std::size_t db_at = post + status_len;
    if (e.body.size() < db_at + db_len + 1) {
        return too_short(e, "status variables and database");
    }
    q.db = as_text(e.body.subspan(db_at, db_len));
    q.statement = as_text(e.body.subspan(db_at + db_len + 1));
    q.kind = classify_query(q.statement);
    return q;
}

Result<std::uint64_t> decode_xid(const Event& e) {
    if (e.type() != EventType::Xid) {
        return wrong_type(e, EventType::Xid);
    }
    if (e.body.size() < 8) {
        return too_short(e, "xid");
    }
    return load_u64(e.body.data());
}

Result<MariadbGtidEvent> decode_mariadb_gtid(const Event& e, const FormatDescription&) {
    if (e.type() != EventType::MariadbGtid) {
        return wrong_type(e, EventType::MariadbGtid);
    }
    if (e.body.size() < 13) {
        return too_short(e, "sequence number, domain and flags");
    }
    MariadbGtidEvent g;
    g.gtid.seq_no = load_u64(e.body.data());
    g.gtid.domain_id = load_u32(e.body.data() + 8);
    g.gtid.server_id = e.header.server_id;
    g.flags = e.body[12];
    if ((g.flags & kGtidGroupCommitId) != 0) {
        if (e.body.size() < 21) {
            return too_short(e, "commit id");
        }
        g.commit_id = load_u64(e.body.data() + 13);
    }
    return g;
}

Result<MysqlGtidEvent> decode_mysql_gtid(const Event& e) {
    if (e.type() != EventType::MysqlGtid && e.type() != EventType::MysqlAnonymousGtid) {
        return wrong_type(e, EventType::MysqlGtid);
    }
    if (e.body.size() < 25) {
        return too_short(e, "sid and gno");
    }
    MysqlGtidEvent g;
    g.anonymous = e.type() == EventType::MysqlAnonymousGtid;
    g.flags = e.body[0];
    std::copy_n(e.body.data() + 1, 16, g.sid.begin());
    g.gno = static_cast<std::int64_t>(load_u64(e.body.data() + 17));
    return g;
}

Result<GtidListEvent> decode_gtid_list(const Event& e) {
    if (e.type() != EventType::MariadbGtidList) {
        return wrong_type(e, EventType::MariadbGtidList);
    }
    if (e.body.size() < 4) {
        return too_short(e, "count");
    }
    const std::size_t count = load_u32(e.body.data()) & 0x0FFFFFFFU;  // top 4 bits: flags
    if ((e.body.size() - 4) / 16 < count) {
        return too_short(e, "entries");
    }
    GtidListEvent list;
    list.gtids.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint8_t* p = e.body.data() + 4 + i * 16;
        list.gtids.push_back(MariadbGtid{load_u32(p), load_u32(p + 4), load_u64(p + 8)});
    }
    return list;
}

Result<std::string> decode_binlog_checkpoint(const Event& e) {
    if (e.type() != EventType::BinlogCheckpoint) {
        return wrong_type(e, EventType::BinlogCheckpoint);
    }
    if (e.body.size() < 4) {
        return too_short(e, "name length");
    }
    const std::size_t len = load_u32(e.body.data());
    if (e.body.size() - 4 < len) {
        return too_short(e, "file name");
    }
    return std::string(as_text(e.body.subspan(4, len)));
}

Result<std::string_view> decode_annotate_rows(const Event& e) {
    if (e.type() != EventType::AnnotateRows) {
        return wrong_type(e, EventType::AnnotateRows);
    }
    return as_text(e.body);
}

}  // namespace mha::binlog

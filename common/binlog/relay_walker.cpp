#include "common/binlog/relay_walker.hpp"

#include <cstdio>

#include "common/binlog/events.hpp"

namespace mha::binlog {

std::string previous_log_name(const std::string& name) {
    const auto dot = name.rfind('.');
    if (dot == std::string::npos || dot + 1 == name.size()) {
        return {};
    }
    const std::string digits = name.substr(dot + 1);
    if (digits.find_first_not_of("0123456789") != std::string::npos) {
        return {};
    }
    const unsigned long long n = std::stoull(digits);
    if (n <= 1) {
        return {};
    }
    std::string prev = std::to_string(n - 1);
    if (prev.size() < digits.size()) {
        prev.insert(0, digits.size() - prev.size(), '0');
    }
    return name.substr(0, dot + 1) + prev;
}

RelayWalker::RelayWalker(std::vector<std::string> files, const RelayLookupOptions& options)
    : sequence_(std::move(files)), options_(options) {}

const std::string& RelayWalker::file_path() const {
    return sequence_.files()[current_.file_index];
}

std::uint64_t RelayWalker::end_position() const {
    const EventReader* reader = sequence_.reader();
    return reader != nullptr ? reader->position() : current_.event.end();
}

void RelayWalker::name_master_file(std::string file, bool real_rotate) {
    if (master_file_.empty()) {
        // Events seen so far had no file: a real rotate closes the file before the new one;
        // a fake rotate (the IO thread reconnecting) re-announces the current one.
        resolved_ = real_rotate ? previous_log_name(file) : file;
        if (!first_ && first_unknown_pos_) {
            first_ = MasterPosition{*resolved_, *first_unknown_pos_};
        }
    }
    master_file_ = std::move(file);
}

void RelayWalker::on_rotate(const Event& event, const FormatDescription& fd) {
    auto rotate = decode_rotate(event, fd);
    if (!rotate) {
        return;
    }
    const bool real = event.header.log_pos != 0;
    if (real) {
        // A master rotate ends the old file at its log_pos; the master rotates only between
        // transactions.
        const std::string closed = master_file_.empty()
                                       ? previous_log_name(base_name(rotate->next_file))
                                       : master_file_;
        rotated_from_ = MasterPosition{closed, event.header.log_pos};
        tracker_ = TransactionTracker(TxState::Between);
    } else if (rotate->position <= kMagicSize) {
        tracker_ = TransactionTracker(TxState::Between);
    }
    name_master_file(base_name(rotate->next_file), real);
    master_pos_ = rotate->position;
    if (!first_) {
        first_ = MasterPosition{master_file_, master_pos_};
    }
}

Result<bool> RelayWalker::step() {
    auto next = sequence_.next();
    if (!next) {
        return tl::unexpected(next.error());
    }
    if (!*next) {
        return false;
    }
    current_ = std::move(**next);
    master_event_ = false;
    own_event_ = false;
    rotated_from_.reset();
    resolved_.reset();
    const Event& event = current_.event;
    const FormatDescription& fd = sequence_.reader()->format();
    if (event.type() == EventType::FormatDescription && event.offset == kMagicSize) {
        // Every relay log starts with the replica's own format description.
        replica_id_ = options_.replica_server_id.value_or(event.header.server_id);
        own_event_ = true;
        return true;
    }
    if (event.header.server_id == replica_id_) {
        own_event_ = true;
        return true;  // the replica's own rotate (to the next relay log)
    }
    if (event.type() == EventType::Rotate) {
        master_event_ = event.header.log_pos != 0;
        on_rotate(event, fd);
        return true;
    }
    if (event.header.log_pos == 0) {
        return true;  // artificial: the master's format description re-sent mid-file
    }
    master_event_ = true;
    if (event.type() != EventType::FormatDescription) {
        tracker_.feed(event, fd);
    }
    if (event.header.log_pos >= event.header.event_size) {
        const std::uint64_t start = event.header.log_pos - event.header.event_size;
        if (!first_ && !master_file_.empty()) {
            first_ = MasterPosition{master_file_, start};
        } else if (master_file_.empty() && !first_unknown_pos_) {
            first_unknown_pos_ = start;
        }
    }
    master_pos_ = event.header.log_pos;
    return true;
}

}  // namespace mha::binlog

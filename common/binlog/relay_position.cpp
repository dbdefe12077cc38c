#include "common/binlog/relay_position.hpp"

#include "common/binlog/relay_walker.hpp"

namespace mha::binlog {
namespace {

std::string text(const MasterPosition& p) { return p.file + ":" + std::to_string(p.pos); }

int compare(const MasterPosition& a, const MasterPosition& b) {
    if (const int c = compare_log_names(a.file, b.file); c != 0) {
        return c;
    }
    return a.pos < b.pos ? -1 : (a.pos > b.pos ? 1 : 0);
}

/// A master event that ends at the target position.
struct Match {
    TxState tx = TxState::Between;
    std::uint64_t relay_offset = 0;  ///< where the matching event lies (for messages)
    std::string relay_file;
    std::optional<RelayPosition> next;  ///< first master event after it, once seen
    bool io_restart = false;            ///< matched on a fake rotate (IO thread start)
};

// Events that open an event group: after an IO-thread restart (a fake rotate to a position
// past 4) the state is unknown until one of them shows the position was a boundary.
bool starts_group(const Event& e) {
    return e.type() == EventType::MariadbGtid || e.type() == EventType::MysqlGtid ||
           e.type() == EventType::MysqlAnonymousGtid;
}

// The match's state once the first master event after it is known.
void settle(Match& m, const Event& next) {
    if (m.tx == TxState::Unknown && starts_group(next)) {
        m.tx = TxState::Between;
    }
}

/// An event ending at the target's offset while the master file was still unknown.
struct Candidate {
    Match match;
};

Result<RelayPosition> answer(const Match& m, const MasterPosition& target,
                             const RelayWalker& w, bool allow_inside) {
    const bool settled = m.tx == TxState::Between || (m.io_restart && !m.next);
    if (!settled && !allow_inside) {
        return make_error(ErrorCode::FailedPrecondition,
                          "master position " + text(target) + " lies inside a transaction (" +
                              m.relay_file + ":" + std::to_string(m.relay_offset) + ")");
    }
    if (m.next) {
        return *m.next;
    }
    return RelayPosition{w.file_path(), w.end_position()};
}

tl::unexpected<Error> not_found(const MasterPosition& target, const RelayWalker& w) {
    const auto& first = w.first_known();
    if (first && compare(target, *first) < 0) {
        return make_error(ErrorCode::NotFound, "master position " + text(target) +
                                                   " already purged: relay logs start at " +
                                                   text(*first));
    }
    if (!first) {
        return make_error(ErrorCode::NotFound,
                          "master position " + text(target) +
                              " not found: no relay log left names its master file (earlier "
                              "relay logs purged)");
    }
    const MasterPosition last{w.master_file(), w.master_pos()};
    if (compare(target, last) > 0) {
        return make_error(ErrorCode::NotFound, "master position " + text(target) +
                                                   " not in the relay logs (last received " +
                                                   text(last) + ")");
    }
    return make_error(ErrorCode::InvalidArgument,
                      "master position " + text(target) + " is not an event boundary");
}

}  // namespace

Result<RelayPosition> find_relay_position(const std::vector<std::string>& relay_files,
                                          const MasterPosition& target,
                                          const RelayLookupOptions& options) {
    RelayWalker w(relay_files, options);
    std::optional<Match> match;
    std::vector<Candidate> pending;
    for (;;) {
        auto more = w.step();
        if (!more) {
            return tl::unexpected(more.error());
        }
        if (!*more) {
            break;
        }
        const Event& ev = w.current().event;
        if (w.is_master_event()) {
            const RelayPosition here{w.file_path(), ev.offset};
            if (match && !match->next) {
                match->next = here;
                settle(*match, ev);
                return answer(*match, target, w, options.allow_inside_transaction);
            }
            for (auto& c : pending) {
                if (!c.match.next) {
                    c.match.next = here;
                    settle(c.match, ev);
                }
            }
        }
        if (w.resolved_earlier() && *w.resolved_earlier() == target.file && !pending.empty()) {
            match = pending.front().match;
            if (match->next) {
                return answer(*match, target, w, options.allow_inside_transaction);
            }
        }
        if (w.is_own_event() || (!w.is_master_event() && ev.type() != EventType::Rotate)) {
            continue;
        }
        Match here{w.tx_state(), ev.offset, w.file_path(), std::nullopt};
        // The IO thread (re)started here: with nothing after it, this host ends there.
        here.io_restart = ev.type() == EventType::Rotate && ev.header.log_pos == 0;
        if (w.rotated_from() && *w.rotated_from() == target) {
            match = here;
            match->tx = TxState::Between;
        } else if (!w.master_file().empty() &&
                   MasterPosition{w.master_file(), w.master_pos()} == target) {
            match = here;
        } else if (w.master_file().empty() && ev.header.log_pos == target.pos) {
            pending.push_back(Candidate{here});
        }
    }
    if (match) {
        return answer(*match, target, w, options.allow_inside_transaction);
    }
    return not_found(target, w);
}

Result<MasterPosition> master_position_at(const std::vector<std::string>& relay_files,
                                          const RelayPosition& at,
                                          const RelayLookupOptions& options) {
    RelayWalker w(relay_files, options);
    auto known = [&]() -> Result<MasterPosition> {
        if (w.master_file().empty()) {
            return make_error(ErrorCode::NotFound,
                              at.file + ":" + std::to_string(at.pos) +
                                  ": master file unknown there (earlier relay logs purged)");
        }
        return MasterPosition{w.master_file(), w.master_pos()};
    };
    bool in_file = false;
    std::uint64_t file_end = 0;
    Result<MasterPosition> before = known();
    for (;;) {
        auto more = w.step();
        if (!more) {
            return tl::unexpected(more.error());
        }
        if (!*more) {
            break;
        }
        const Event& ev = w.current().event;
        const bool same = base_name(w.file_path()) == base_name(at.file);
        if (in_file && !same) {
            break;  // past the end of at.file
        }
        in_file = same;
        if (same && ev.offset == at.pos) {
            return before;  // the state before this event
        }
        if (same && ev.offset > at.pos) {
            break;
        }
        if (same) {
            file_end = ev.end();
        }
        before = known();
    }
    if (file_end == at.pos) {
        return before;
    }
    return make_error(ErrorCode::InvalidArgument,
                      at.file + ":" + std::to_string(at.pos) +
                          ": not an event boundary of the relay logs");
}

Result<MasterPosition> relay_end(const std::vector<std::string>& relay_files,
                                 const RelayLookupOptions& options) {
    RelayWalker w(relay_files, options);
    for (;;) {
        auto more = w.step();
        if (!more) {
            return tl::unexpected(more.error());
        }
        if (!*more) {
            break;
        }
    }
    if (w.master_file().empty()) {
        return make_error(ErrorCode::NotFound,
                          "the relay logs name no master file (no master event, or earlier "
                          "relay logs purged)");
    }
    return MasterPosition{w.master_file(), w.master_pos()};
}

}  // namespace mha::binlog

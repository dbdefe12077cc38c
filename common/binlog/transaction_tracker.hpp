#pragma once

#include "common/binlog/event.hpp"

namespace mha::binlog {

/// Where a stream stands after the events fed so far.
enum class TxState {
    Between,        ///< at a transaction boundary
    InTransaction,  ///< inside an event group (after GTID/BEGIN, before COMMIT/Xid)
    Unknown,        ///< started mid-stream and no boundary seen yet (treated as inside)
};

/// Follows transaction boundaries event by event: a MariaDB GTID or BEGIN opens a group;
/// Xid, COMMIT, ROLLBACK, XA PREPARE/COMMIT/ROLLBACK close it; after a standalone MariaDB
/// GTID (DDL) or a MySQL GTID not followed by BEGIN, the next statement closes it.
class TransactionTracker {
public:
    explicit TransactionTracker(TxState initial = TxState::Between) : state_(initial) {}

    /// Feeds one event (only the master's events, for relay logs).
    void feed(const Event& event, const FormatDescription& fd);

    [[nodiscard]] TxState state() const { return state_; }
    [[nodiscard]] bool between() const { return state_ == TxState::Between; }

private:
    void on_query(const Event& event, const FormatDescription& fd);

    TxState state_;
    bool single_statement_ = false;  ///< the group ends with its next statement
};

}  // namespace mha::binlog

#include "common/binlog/transaction_tracker.hpp"

#include "common/binlog/events.hpp"

namespace mha::binlog {

void TransactionTracker::feed(const Event& event, const FormatDescription& fd) {
    switch (event.type()) {
        case EventType::MariadbGtid: {
            // MariaDB begins every group with a GTID instead of BEGIN (DESIGN §8).
            auto gtid = decode_mariadb_gtid(event, fd);
            state_ = TxState::InTransaction;
            single_statement_ = gtid && gtid->standalone();
            break;
        }
        case EventType::MysqlGtid:
        case EventType::MysqlAnonymousGtid:
            // MySQL: a DDL follows its GTID directly; a transaction starts with BEGIN.
            state_ = TxState::InTransaction;
            single_statement_ = true;
            break;
        case EventType::Query:
            on_query(event, fd);
            break;
        case EventType::Xid:
        case EventType::XaPrepare:
            state_ = TxState::Between;
            single_statement_ = false;
            break;
        default:
            break;  // rows, table maps, rotates, checkpoints: no boundary
    }
}

void TransactionTracker::on_query(const Event& event, const FormatDescription& fd) {
    auto query = decode_query(event, fd);
    const QueryKind kind = query ? query->kind : QueryKind::Other;
    switch (kind) {
        case QueryKind::Begin:
        case QueryKind::XaStart:
            state_ = TxState::InTransaction;
            single_statement_ = false;
            return;
        case QueryKind::Commit:
        case QueryKind::Rollback:
        case QueryKind::XaPrepare:
        case QueryKind::XaCommit:
        case QueryKind::XaRollback:
            state_ = TxState::Between;
            single_statement_ = false;
            return;
        default:
            break;
    }
    if (single_statement_) {
        state_ = TxState::Between;
        single_statement_ = false;
    }
    // Otherwise: inside a transaction it stays inside; between transactions (no GTIDs, an
    // autocommit statement) it stays between; Unknown stays Unknown.
}

}  // namespace mha::binlog

#include "manager/monitor/ping.hpp"

namespace mha::manager {

Result<void> ping_select(mysql::Session& session) {
    auto rs = session.query("SELECT 1 As Value");
    if (!rs) {
        return tl::unexpected(rs.error());
    }
    if (rs->empty() || rs->value(0, "Value") != "1") {
        return make_error(ErrorCode::Internal, "SELECT 1 returned no row");
    }
    return {};
}

Result<void> ping_insert(mysql::Session& session) {
    static constexpr const char* kStatements[] = {
        "CREATE DATABASE IF NOT EXISTS infra",
        "CREATE TABLE IF NOT EXISTS infra.chk_masterha (`key` tinyint NOT NULL primary key, "
        "`val` int(10) unsigned NOT NULL DEFAULT '0')",
        "INSERT INTO infra.chk_masterha values (1,unix_timestamp()) ON DUPLICATE KEY UPDATE "
        "val=unix_timestamp()",
    };
    for (const char* sql : kStatements) {
        if (auto done = session.execute(sql); !done) {
            return done;
        }
    }
    return {};
}

bool answered_insert_ping(config::PingType type, int mysql_errno) {
    return type == config::PingType::Insert && (mysql_errno == 1290 || mysql_errno == 1836);
}

}  // namespace mha::manager

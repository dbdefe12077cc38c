#pragma once

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "common/mysql/session.hpp"

namespace mha::test {

/// Reads a recorded `mysql -e '…\G'` output (one row, "Column: value" lines; lines starting
/// with '#' are comments saying how the file was made) into a ResultSet. "NULL" becomes NULL.
inline mysql::ResultSet read_vertical_output(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> columns;
    std::vector<std::optional<std::string>> row;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        auto colon = line.find(':');
        if (colon == std::string::npos) {
            continue;
        }
        auto name = line.substr(0, colon);
        name.erase(0, name.find_first_not_of(' '));
        auto value = colon + 1 < line.size() ? line.substr(colon + 2) : std::string();
        columns.push_back(name);
        row.push_back(value == "NULL" ? std::nullopt : std::optional<std::string>(value));
    }
    std::vector<std::vector<std::optional<std::string>>> rows;
    if (!columns.empty()) {
        rows.push_back(std::move(row));
    }
    return mysql::ResultSet(std::move(columns), std::move(rows));
}

}  // namespace mha::test

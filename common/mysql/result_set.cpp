#include "common/mysql/session.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace mha::mysql {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

std::string ConnectOptions::peer() const {
    if (!socket.empty()) {
        return "socket " + socket;
    }
    return host + ":" + std::to_string(port);
}

ResultSet::ResultSet(std::vector<std::string> columns,
                     std::vector<std::vector<std::optional<std::string>>> rows)
    : columns_(std::move(columns)), rows_(std::move(rows)) {}

std::optional<std::size_t> ResultSet::column_index(std::string_view name) const {
    for (std::size_t i = 0; i < columns_.size(); ++i) {
        if (iequals(columns_[i], name)) {
            return i;
        }
    }
    return std::nullopt;
}

std::optional<std::string> ResultSet::get(std::size_t row, std::string_view column) const {
    auto index = column_index(column);
    if (!index || row >= rows_.size()) {
        return std::nullopt;
    }
    return rows_[row][*index];
}

std::string ResultSet::value(std::size_t row, std::string_view column,
                             std::string_view fallback) const {
    auto v = get(row, column);
    return v ? *v : std::string(fallback);
}

}  // namespace mha::mysql

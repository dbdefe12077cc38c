#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mha::binlog::test {

/// Path of a file in tests/data/binlog.
std::string golden(const std::string& name);
/// The whole content of a file.
std::vector<std::uint8_t> slurp(const std::string& path);
/// counts.txt: events per file as mariadb-binlog printed them when the data was made.
std::map<std::string, std::size_t> golden_counts();
/// The files an index lists, from `first` on (0-based), as full paths.
std::vector<std::string> index_files(const std::string& index, std::size_t first = 0);

}  // namespace mha::binlog::test

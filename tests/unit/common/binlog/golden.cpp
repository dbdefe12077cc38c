#include "tests/unit/common/binlog/golden.hpp"

#include <fstream>
#include <iterator>

#include "common/binlog/log_index.hpp"

namespace mha::binlog::test {

std::string golden(const std::string& name) { return std::string(MHA_BINLOG_TEST_DATA) + "/" + name; }

std::vector<std::uint8_t> slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::map<std::string, std::size_t> golden_counts() {
    std::ifstream in(golden("counts.txt"));
    std::map<std::string, std::size_t> counts;
    std::string file;
    std::size_t n = 0;
    while (in >> file >> n) {
        counts[file] = n;
    }
    return counts;
}

std::vector<std::string> index_files(const std::string& index, std::size_t first) {
    auto files = read_index(golden(index));
    if (!files || first >= files->size()) {
        return {};
    }
    return {files->begin() + static_cast<long>(first), files->end()};
}

}  // namespace mha::binlog::test

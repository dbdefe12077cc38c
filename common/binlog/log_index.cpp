#include "common/binlog/log_index.hpp"

#include <cstdlib>
#include <fstream>

namespace mha::binlog {
namespace {

std::string dir_name(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

// Splits "name.000012" into ("name", 12); no numeric extension -> (whole, -1).
std::pair<std::string, long long> split_log_name(const std::string& name) {
    const auto dot = name.rfind('.');
    if (dot == std::string::npos || dot + 1 == name.size()) {
        return {name, -1};
    }
    for (std::size_t i = dot + 1; i < name.size(); ++i) {
        if (name[i] < '0' || name[i] > '9') {
            return {name, -1};
        }
    }
    return {name.substr(0, dot), std::atoll(name.c_str() + dot + 1)};
}

}  // namespace

std::string base_name(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

int compare_log_names(const std::string& a, const std::string& b) {
    const auto [a_base, a_num] = split_log_name(base_name(a));
    const auto [b_base, b_num] = split_log_name(base_name(b));
    if (a_base != b_base || a_num < 0 || b_num < 0) {
        return base_name(a).compare(base_name(b));
    }
    return a_num < b_num ? -1 : (a_num > b_num ? 1 : 0);
}

Result<std::vector<std::string>> read_index(const std::string& index_path) {
    std::ifstream in(index_path);
    if (!in) {
        return make_error(ErrorCode::NotFound, index_path + ": cannot open index file");
    }
    const std::string dir = dir_name(index_path);
    std::vector<std::string> files;
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
            line.pop_back();
        }
        if (line.empty()) {
            continue;
        }
        // Servers write "./name" relative to the datadir, where the index also lives.
        files.push_back(line.front() == '/' ? line : dir + "/" + base_name(line));
    }
    if (files.empty()) {
        return make_error(ErrorCode::InvalidArgument, index_path + ": index lists no files");
    }
    return files;
}

LogSequence::LogSequence(std::vector<std::string> files, ReaderOptions options)
    : files_(std::move(files)), options_(options) {}

Result<void> LogSequence::open(std::size_t index) {
    index_ = index;
    reader_.reset();
    if (index >= files_.size()) {
        return {};
    }
    auto reader = EventReader::open_file(files_[index], options_);
    if (!reader) {
        return tl::unexpected(reader.error());
    }
    reader_.emplace(std::move(*reader));
    return {};
}

Result<void> LogSequence::seek(std::size_t file_index, std::uint64_t pos) {
    if (file_index >= files_.size()) {
        return make_error(ErrorCode::InvalidArgument,
                          "file index " + std::to_string(file_index) + " out of range");
    }
    if (auto ok = open(file_index); !ok) {
        return ok;
    }
    return reader_->skip_to(pos);
}

Result<std::optional<SequencedEvent>> LogSequence::next() {
    if (!reader_ && index_ == 0 && !files_.empty()) {
        if (auto ok = open(0); !ok) {
            return tl::unexpected(ok.error());
        }
    }
    while (reader_) {
        auto event = reader_->next();
        if (!event) {
            return tl::unexpected(event.error());
        }
        if (*event) {
            return SequencedEvent{index_, **event};
        }
        tail_ = reader_->partial_tail();
        if (tail_ && index_ + 1 < files_.size()) {
            return make_error(ErrorCode::DataLoss,
                              files_[index_] + ":" + std::to_string(tail_->offset) +
                                  ": event cut short in a file that is not the last");
        }
        if (auto ok = open(index_ + 1); !ok) {
            return tl::unexpected(ok.error());
        }
    }
    return std::nullopt;
}

}  // namespace mha::binlog

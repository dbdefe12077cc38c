#include "common/config/conf_edit.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include "common/config/app_config.hpp"
#include "common/config/ini.hpp"

namespace mha::config {
namespace {

/// One physical line with its terminator, so untouched lines are copied byte for byte.
struct Line {
    std::string_view raw;   ///< including "\n" (or "\r\n") when present
    std::string_view body;  ///< trimmed content
};

std::vector<Line> split_lines(std::string_view text) {
    std::vector<Line> lines;
    while (!text.empty()) {
        const auto eol = text.find('\n');
        const auto len = eol == std::string_view::npos ? text.size() : eol + 1;
        lines.push_back(Line{text.substr(0, len), trim(text.substr(0, len))});
        text.remove_prefix(len);
    }
    return lines;
}

std::optional<std::string_view> header_name(std::string_view body) {
    if (body.size() < 2 || body.front() != '[' || body.back() != ']') {
        return std::nullopt;
    }
    return trim(body.substr(1, body.size() - 2));
}

bool is_comment_or_blank(std::string_view body) {
    return body.empty() || body.front() == '#' || body.front() == ';';
}

Result<void> check_value(std::string_view key, std::string_view value) {
    if (value.find_first_of("\r\n") != std::string_view::npos) {
        return make_error(ErrorCode::InvalidArgument,
                          std::string(key) + ": a value cannot contain a line break");
    }
    return {};
}

Result<void> write_atomically(const std::string& path, const std::string& text) {
    struct stat st {};
    const mode_t mode = ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0600;
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) {
        return make_error(ErrorCode::FailedPrecondition, tmp + ": " + std::strerror(errno));
    }
    std::string_view rest = text;
    bool ok = ::fchmod(fd, mode) == 0;
    while (ok && !rest.empty()) {
        const ssize_t n = ::write(fd, rest.data(), rest.size());
        ok = n > 0;
        rest.remove_prefix(ok ? static_cast<std::size_t>(n) : 0);
    }
    ok = ok && ::fsync(fd) == 0;
    const int err = errno;
    ok = ::close(fd) == 0 && ok;
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        const int cause = ok ? errno : err;
        ::unlink(tmp.c_str());
        return make_error(ErrorCode::FailedPrecondition, path + ": " + std::strerror(cause));
    }
    return {};
}

template <class Edit>
Result<void> edit_file(const std::string& path, Edit edit) {
    auto text = read_text_file(path);
    if (!text) {
        return tl::unexpected(text.error());
    }
    auto edited = edit(*text);
    if (!edited) {
        return tl::unexpected(edited.error());
    }
    return write_atomically(path, *edited);
}

}  // namespace

std::string conf_host_block_name(std::string_view block, std::string_view hostname) {
    if (!block.empty()) {
        return block.substr(0, 6) == "server" ? std::string(block) : "server" + std::string(block);
    }
    return hostname.empty() ? std::string() : "server_" + std::string(hostname);
}

Result<ConfParams> parse_conf_host_params(std::string_view params) {
    ConfParams out;
    const auto& names = app_param_names();
    while (!params.empty()) {
        const auto semi = params.find(';');
        const auto pair = trim(params.substr(0, semi));
        params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
        if (pair.empty()) {
            continue;
        }
        const auto eq = pair.find('=');
        if (eq == std::string_view::npos) {
            return make_error(ErrorCode::InvalidArgument, "params: expected key=value;key=value");
        }
        const std::string key(trim(pair.substr(0, eq)));
        if (std::find(names.begin(), names.end(), key) == names.end()) {
            return make_error(ErrorCode::InvalidArgument, "params: " + key + ": unknown parameter");
        }
        out.emplace_back(key, std::string(trim(pair.substr(eq + 1))));
    }
    return out;
}

Result<std::string> add_conf_block(std::string_view text, const std::string& path,
                                   const std::string& block, const std::string& hostname,
                                   const ConfParams& params) {
    auto doc = parse_ini(text, path);
    if (!doc) {
        return tl::unexpected(doc.error());
    }
    for (const auto& section : doc->sections) {
        if (section.name == block) {
            return make_error(ErrorCode::AlreadyExists,
                              "Entry " + block + " already exists on " + path + " .");
        }
    }
    std::string added = "[" + block + "]\nhostname=" + hostname + "\n";
    if (auto ok = check_value("hostname", hostname); !ok) {
        return tl::unexpected(ok.error());
    }
    for (const auto& [key, value] : params) {
        if (auto ok = check_value(key, value); !ok) {
            return tl::unexpected(ok.error());
        }
        added += key + "=" + value + "\n";
    }
    std::string out(text);
    if (!out.empty() && out.back() != '\n') {
        out += '\n';
    }
    const auto lines = split_lines(text);
    if (!lines.empty() && !lines.back().body.empty()) {
        out += '\n';  // a blank line between blocks, as Config::Tiny writes them
    }
    return out + added;
}

namespace {

/// The lines of `[block]`: its header and the index of its last parameter line.
Result<std::pair<std::size_t, std::size_t>> block_range(const std::vector<Line>& lines,
                                                        const std::string& path,
                                                        const std::string& block) {
    std::size_t begin = lines.size();
    for (std::size_t i = 0; i < lines.size() && begin == lines.size(); ++i) {
        if (header_name(lines[i].body) == std::optional<std::string_view>(block)) {
            begin = i;
        }
    }
    if (begin == lines.size()) {
        return make_error(ErrorCode::NotFound, "Entry " + block + " not found from " + path + " .");
    }
    std::size_t last = begin;
    for (std::size_t next = begin + 1; next < lines.size() && !header_name(lines[next].body);
         ++next) {
        if (!is_comment_or_blank(lines[next].body)) {
            last = next;
        }
    }
    return std::pair{begin, last};
}

}  // namespace

Result<std::string> comment_conf_block(std::string_view text, const std::string& path,
                                       const std::string& block, const std::string& note) {
    if (auto doc = parse_ini(text, path); !doc) {
        return tl::unexpected(doc.error());
    }
    if (note.find_first_of("\r\n") != std::string::npos) {
        return make_error(ErrorCode::InvalidArgument, "a comment cannot hold a line break");
    }
    const auto lines = split_lines(text);
    auto range = block_range(lines, path, block);
    if (!range) {
        return tl::unexpected(range.error());
    }
    const auto [begin, last] = *range;
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i == begin) {
            out += "# " + note + "\n";
        }
        if (i >= begin && i <= last) {
            out += '#';
        }
        out += lines[i].raw;
    }
    return out;
}

Result<std::string> delete_conf_block(std::string_view text, const std::string& path,
                                      const std::string& block) {
    if (auto doc = parse_ini(text, path); !doc) {
        return tl::unexpected(doc.error());
    }
    const auto lines = split_lines(text);
    auto range = block_range(lines, path, block);
    if (!range) {
        return tl::unexpected(range.error());
    }
    auto [begin, last] = *range;
    std::size_t end = last + 1;
    while (end < lines.size() && lines[end].body.empty()) {
        ++end;
    }
    if (end == lines.size()) {  // last block: drop the blank lines that separated it too
        while (begin > 0 && lines[begin - 1].body.empty()) {
            --begin;
        }
    }
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i < begin || i >= end) {
            out += lines[i].raw;
        }
    }
    return out;
}

Result<void> add_conf_block_to_file(const std::string& path, const std::string& block,
                                    const std::string& hostname, const ConfParams& params) {
    return edit_file(path, [&](const std::string& text) {
        return add_conf_block(text, path, block, hostname, params);
    });
}

Result<void> delete_conf_block_from_file(const std::string& path, const std::string& block) {
    return edit_file(path,
                     [&](const std::string& text) { return delete_conf_block(text, path, block); });
}

Result<void> comment_conf_block_in_file(const std::string& path, const std::string& block,
                                        const std::string& note) {
    return edit_file(path, [&](const std::string& text) {
        return comment_conf_block(text, path, block, note);
    });
}

}  // namespace mha::config

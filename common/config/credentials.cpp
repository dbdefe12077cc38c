// load_credentials: reads user= and password= from [client] of a MySQL client option file,
// with the option-file rules of mysys (my_default.cc): `#` outside quotes starts a comment
// anywhere on a line, a value in matching quotes loses them, backslash escapes \b \t \n \r
// \\ \s are decoded, `-` and `_` in option names are the same.
#include <algorithm>

#include "common/config/agent_config.hpp"
#include "common/config/ini.hpp"

namespace mha::config {
namespace {

std::string_view strip_comment(std::string_view line) {
    char quote = 0;
    bool escape = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if ((c == '\'' || c == '"') && !escape) {
            if (quote == 0) {
                quote = c;
            } else if (quote == c) {
                quote = 0;
            }
        } else if (quote == 0 && c == '#') {
            return line.substr(0, i);
        }
        escape = quote != 0 && c == '\\' && !escape;
    }
    return line;
}

std::string decode_value(std::string_view value) {
    if (value.size() >= 2 && (value.front() == '\'' || value.front() == '"') &&
        value.back() == value.front()) {
        value = value.substr(1, value.size() - 2);
    }
    std::string out;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] != '\\' || i + 1 == value.size()) {
            out.push_back(value[i]);
            continue;
        }
        const char next = value[++i];
        switch (next) {
            case 'b':
                out.push_back('\b');
                break;
            case 't':
                out.push_back('\t');
                break;
            case 'n':
                out.push_back('\n');
                break;
            case 'r':
                out.push_back('\r');
                break;
            case 's':
                out.push_back(' ');
                break;
            case '\\':
                out.push_back('\\');
                break;
            default:
                out.push_back('\\');
                out.push_back(next);
                break;
        }
    }
    return out;
}

std::string option_name(std::string_view name) {
    std::string out(trim(name));
    std::replace(out.begin(), out.end(), '-', '_');
    return out;
}

}  // namespace

Result<Credentials> load_credentials(const std::string& path) {
    auto text = read_text_file(path);
    if (!text) {
        return tl::unexpected(text.error());
    }
    Credentials creds;
    bool in_client = false;
    bool have_user = false;
    std::string_view rest = *text;
    for (int line_no = 1; !rest.empty(); ++line_no) {
        const auto eol = rest.find('\n');
        const auto line = trim(rest.substr(0, eol));
        rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
        if (line.empty() || line.front() == '#' || line.front() == ';' || line.front() == '!') {
            continue;  // `!include` directives are not followed: credentials stay in one file
        }
        if (line.front() == '[') {
            const auto close = line.find(']');
            if (close == std::string_view::npos) {
                return config_error(path, line_no, "", "syntax error: missing ']'");
            }
            in_client = trim(line.substr(1, close - 1)) == "client";
            continue;
        }
        if (!in_client) {
            continue;
        }
        const auto body = trim(strip_comment(line));
        const auto eq = body.find('=');
        const auto name = option_name(body.substr(0, eq));
        const auto value =
            eq == std::string_view::npos ? std::string{} : decode_value(trim(body.substr(eq + 1)));
        if (name == "user") {
            creds.user = value;
            have_user = true;
        } else if (name == "password") {
            creds.password = value;
        }
    }
    if (!have_user || creds.user.empty()) {
        return make_error(ErrorCode::InvalidArgument, path + ": user: missing in [client]");
    }
    return creds;
}

}  // namespace mha::config

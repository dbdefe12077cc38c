#include "common/log/log.hpp"

#include <mutex>
#include <vector>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace mha::log {
namespace {

std::mutex g_mutex;
std::vector<spdlog::sink_ptr> g_sinks;
spdlog::level::level_enum g_level = spdlog::level::info;
bool g_json = false;

spdlog::level::level_enum parse_level(std::string_view name) {
    if (name == "debug") {
        return spdlog::level::debug;
    }
    if (name == "warning" || name == "warn") {
        return spdlog::level::warn;
    }
    if (name == "error") {
        return spdlog::level::err;
    }
    return spdlog::level::info;  // info and notice
}

/// %* : the message as a JSON string literal (quotes, backslashes and control characters
/// escaped; every byte from 0x80 up as \u00XX of its value, so a broken UTF-8 sequence in a
/// message cannot make the line unparsable — non-ASCII text reads as Latin-1 there).
class JsonMessage : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        static constexpr char kHex[] = "0123456789abcdef";
        dest.push_back('"');
        for (char ch : std::string_view(msg.payload.data(), msg.payload.size())) {
            const auto c = static_cast<unsigned char>(ch);
            switch (c) {
                case '"': dest.append(std::string_view("\\\"")); break;
                case '\\': dest.append(std::string_view("\\\\")); break;
                case '\n': dest.append(std::string_view("\\n")); break;
                case '\r': dest.append(std::string_view("\\r")); break;
                case '\t': dest.append(std::string_view("\\t")); break;
                default:
                    if (c < 0x20 || c == 0x7f || c >= 0x80) {
                        const char esc[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
                        dest.append(std::string_view(esc, sizeof esc));
                    } else {
                        dest.push_back(ch);
                    }
            }
        }
        dest.push_back('"');
    }
    [[nodiscard]] std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<JsonMessage>();
    }
};

void apply(spdlog::logger& logger) {
    logger.sinks() = g_sinks;
    logger.set_level(g_level);
    // Every line reaches the file when it is logged: `tail -f` follows the monitor, and a
    // SIGKILLed process loses nothing it logged. The file is opened for append (O_APPEND), so
    // logrotate's copytruncate keeps working.
    logger.flush_on(spdlog::level::trace);
    if (g_json) {
        // The message is text from anywhere (server errors quote names, hosts send bytes):
        // escaped as a JSON string, so every line stays one valid JSON object.
        auto formatter = std::make_unique<spdlog::pattern_formatter>();
        formatter->add_flag<JsonMessage>('*').set_pattern(
            R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","component":"%n","message":%*})");
        logger.set_formatter(std::move(formatter));
    } else {
        // MHA's own log lines read "Mon Nov 25 02:29:58 2026 - [info] message".
        logger.set_pattern("%a %b %d %H:%M:%S %Y - [%l] %v");
    }
}

}  // namespace

void init(const Options& options) {
    std::lock_guard lock(g_mutex);
    g_sinks.clear();
    if (options.file.empty()) {
        g_sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
    } else {
        g_sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file));
    }
    g_level = parse_level(options.level);
    g_json = options.json;
    spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& logger) { apply(*logger); });
}

std::shared_ptr<spdlog::logger> get(const std::string& component) {
    std::lock_guard lock(g_mutex);
    if (auto existing = spdlog::get(component)) {
        return existing;
    }
    if (g_sinks.empty()) {
        g_sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
    }
    auto logger = std::make_shared<spdlog::logger>(component);
    apply(*logger);
    spdlog::register_logger(logger);
    return logger;
}

}  // namespace mha::log

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

thread_local std::shared_ptr<Scope> t_scope;

spdlog::sink_ptr make_sink(const std::string& file) {
    if (file.empty()) {
        return std::make_shared<spdlog::sinks::stderr_sink_mt>();
    }
    return std::make_shared<spdlog::sinks::basic_file_sink_mt>(file);
}

void apply(spdlog::logger& logger, const std::vector<spdlog::sink_ptr>& sinks,
           spdlog::level::level_enum level, bool json, const std::string& label) {
    logger.sinks() = sinks;
    logger.set_level(level);
    // Every line reaches the file when it is logged: `tail -f` follows the monitor, and a
    // SIGKILLed process loses nothing it logged. The file is opened for append (O_APPEND), so
    // logrotate's copytruncate keeps working.
    logger.flush_on(spdlog::level::trace);
    if (json) {
        // The message is text from anywhere (server errors quote names, hosts send bytes):
        // escaped as a JSON string, so every line stays one valid JSON object.
        auto formatter = std::make_unique<spdlog::pattern_formatter>();
        formatter->add_flag<JsonMessage>('*').set_pattern(
            label.empty()
                ? std::string(
                      R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","component":"%n","message":%*})")
                : std::string(R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","cluster":")") +
                      label + R"(","component":"%n","message":%*})");
        logger.set_formatter(std::move(formatter));
    } else {
        // MHA's own log lines read "Mon Nov 25 02:29:58 2026 - [info] message".
        logger.set_pattern(label.empty() ? std::string("%a %b %d %H:%M:%S %Y - [%l] %v")
                                         : "%a %b %d %H:%M:%S %Y - [%l] [" + label + "] %v");
    }
}

void apply(spdlog::logger& logger) { apply(logger, g_sinks, g_level, g_json, ""); }

/// The process's sinks (stderr before init()): a scope without a file of its own logs there.
std::vector<spdlog::sink_ptr> process_sinks() {
    std::lock_guard lock(g_mutex);
    if (g_sinks.empty()) {
        g_sinks.push_back(make_sink(""));
    }
    return g_sinks;
}

}  // namespace

void init(const Options& options) {
    std::lock_guard lock(g_mutex);
    g_sinks.clear();
    g_sinks.push_back(make_sink(options.file));
    g_level = parse_level(options.level);
    g_json = options.json;
    spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& logger) { apply(*logger); });
}

std::shared_ptr<spdlog::logger> get(const std::string& component) {
    if (t_scope) {
        return t_scope->get(component);
    }
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

Scope::Scope(const Options& options, std::string label)
    : sinks_(options.file.empty() ? process_sinks()
                                  : std::vector<spdlog::sink_ptr>{make_sink(options.file)}),
      level_(parse_level(options.level)),
      json_(options.json),
      label_(std::move(label)) {}

std::shared_ptr<spdlog::logger> Scope::get(const std::string& component) {
    std::lock_guard lock(mutex_);
    auto& logger = loggers_[component];
    if (!logger) {
        // Not registered with spdlog: the process's logger of the same name is another one.
        logger = std::make_shared<spdlog::logger>(component);
        apply(*logger, sinks_, level_, json_, label_);
    }
    return logger;
}

std::shared_ptr<Scope> current_scope() { return t_scope; }

ScopeGuard::ScopeGuard(std::shared_ptr<Scope> scope) : previous_(std::move(t_scope)) {
    t_scope = std::move(scope);
}

ScopeGuard::~ScopeGuard() { t_scope = std::move(previous_); }

}  // namespace mha::log

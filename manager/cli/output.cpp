#include "manager/cli/output.hpp"

#include <ctime>
#include <iostream>

namespace mha::manager {

void print_line(CheckLine::Level level, std::string_view text) {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    char stamp[64];
    std::strftime(stamp, sizeof stamp, "%a %b %e %H:%M:%S %Y", &tm);
    std::string_view tag = level == CheckLine::Level::Info      ? "info"
                           : level == CheckLine::Level::Warning ? "warning"
                                                                : "error";
    std::cout << stamp << " - [" << tag << "] " << text << '\n';
}

}  // namespace mha::manager

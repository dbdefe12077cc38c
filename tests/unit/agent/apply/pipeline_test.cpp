#include "agent/apply/pipeline.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>

using namespace mha::agent;

TEST_CASE("scan_decoded: the last event offset, master position and rotated file", "[apply]") {
    DecodedPosition at;
    scan_decoded(
        "# at 4\n#201204  1:00:00 server id 1  end_log_pos 0 CRC32 0x1\tRotate to "
        "mysql-bin.000007  pos: 4\n# at 120\n#201204 server id 1  end_log_pos 351 "
        "CRC32 0x2 \tXid = 9\nCOMMIT/*!*/;\n",
        at);
    CHECK(at.stream_offset == 120);
    CHECK(at.end_log_pos == 351);
    CHECK(at.master_file == "mysql-bin.000007");
    SECTION("a later piece without markers keeps what was found") {
        scan_decoded("BINLOG '\nAAAA\n'/*!*/;\n", at);
        CHECK(at.stream_offset == 120);
        CHECK(at.master_file == "mysql-bin.000007");
    }
    SECTION("a rotate's end_log_pos 0 is not a master position") {
        scan_decoded("\n# at 400\n#x end_log_pos 0 CRC32 0x3\tRotate to mysql-bin.000008  pos: 4\n",
                     at);
        CHECK(at.stream_offset == 400);
        CHECK(at.end_log_pos == 351);
        CHECK(at.master_file == "mysql-bin.000008");
    }
}

TEST_CASE("locate_statement: the failing event's master file is the last rotate before it",
          "[apply]") {
    const std::string path = "locate_statement_test.sql";
    {
        std::ofstream out(path);
        out << "# at 4\n"
               "#1 server id 1  end_log_pos 0 CRC32 0x1\tRotate to mysql-bin.000002  pos: 4\n"
               "# at 60\n"
               "#1 server id 1  end_log_pos 900 CRC32 0x2\tWrite_rows: table id 17\n"
               "BINLOG '\nAAAA\n'/*!*/;\n"  // lines 5-7: the failing statement
               "# at 200\n"
               "#1 server id 1  end_log_pos 0 CRC32 0x3\tRotate to mysql-bin.000003  pos: 4\n";
    }
    const auto at = locate_statement(path, 5);
    CHECK(at.stream_offset == 60);
    CHECK(at.end_log_pos == 900);
    CHECK(at.master_file == "mysql-bin.000002");
    CHECK(at.statement.rfind("BINLOG '", 0) == 0);
    std::remove(path.c_str());
}

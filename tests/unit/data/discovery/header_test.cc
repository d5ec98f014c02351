#include "data/discovery/header.h"

#include <gtest/gtest.h>

namespace maas::data::discovery {
namespace {

HeaderModel learn(const std::vector<std::string>& lines) {
  std::vector<std::string_view> views(lines.begin(), lines.end());
  return HeaderModel::learn(views);
}

std::string_view message(const HeaderModel& m, std::string_view line) { return line.substr(m.message_start(line)); }

TEST(Header, LearnsTimestampLevelComponentHeaders) {
  std::vector<std::string> lines = {
      "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049 terminating",
      "081109 204005 35 INFO dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: blockMap updated: 10.251.73.220:50010 is added",
      "081109 204655 556 WARN dfs.DataNode$DataXceiver: Receiving block blk_-5623 src: /10.251.75.228:53725 dest: /10.251.75.228:50010",
  };
  HeaderModel m = learn(lines);
  ASSERT_EQ(m.fields().size(), 5u);
  EXPECT_EQ(m.fields()[3].name, "level");
  EXPECT_EQ(m.fields().back().name, "component");
  EXPECT_EQ(message(m, lines[1]), "BLOCK* NameSystem.addStoredBlock: blockMap updated: 10.251.73.220:50010 is added");
  EXPECT_EQ(message(m, lines[2]), "Receiving block blk_-5623 src: /10.251.75.228:53725 dest: /10.251.75.228:50010");
}

TEST(Header, EndsAtTheSeparatorNotAtAColonInTheMessage) {
  std::vector<std::string> lines;
  for (int i = 0; i < 10; ++i) {
    lines.push_back("2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - "
                    "Notification time out: " + std::to_string(200 * i));
    lines.push_back("2015-07-29 19:04:12,394 - WARN  [SendWorker:188978561024:QuorumCnxManager$SendWorker@679] - "
                    "Interrupted while waiting for message on queue");
  }
  HeaderModel m = learn(lines);
  ASSERT_EQ(m.fields().size(), 6u);
  EXPECT_EQ(message(m, lines[0]), "Notification time out: 0");
  EXPECT_EQ(message(m, lines[1]), "Interrupted while waiting for message on queue");
}

TEST(Header, SyslogHeadersWithProgramAndPid) {
  std::vector<std::string> lines = {
      "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh",
      "Jun 15 04:06:18 combo su(pam_unix)[21416]: session opened for user cyrus by (uid=0)",
      "Jul  1 09:00:55 combo kernel: Linux version 2.6.5-1.358",
      "Jul  1 09:01:05 combo Google Chrome Helper[1234]: Couldn't set selectedTextBackgroundColor",
  };
  HeaderModel m = learn(lines);
  EXPECT_EQ(message(m, lines[1]), "session opened for user cyrus by (uid=0)");
  EXPECT_EQ(message(m, lines[2]), "Linux version 2.6.5-1.358");
  // A component of several words ends at its colon.
  EXPECT_EQ(message(m, lines[3]), "Couldn't set selectedTextBackgroundColor");
}

TEST(Header, BracketedTimeAndLevel) {
  std::vector<std::string> lines;
  for (int i = 0; i < 8; ++i) {
    lines.push_back("[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties");
    lines.push_back("[Sun Dec 04 04:51:18 2005] [error] mod_jk child workerEnv in error state 6");
  }
  lines.push_back("[Sun Dec 04 06:47:27 2005] [error] [client 222.166.160.184] Directory index forbidden by rule: /var/www/html/");
  HeaderModel m = learn(lines);
  ASSERT_EQ(m.fields().size(), 2u);
  EXPECT_EQ(message(m, lines.back()), "[client 222.166.160.184] Directory index forbidden by rule: /var/www/html/");
}

TEST(Header, PipeSeparatedFields) {
  std::vector<std::string> lines = {
      "20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579",
      "20171223-22:15:29:615|Step_SPUtils|30002312|setTodayTotalDetailSteps=1514038440000##7007##548365",
      "20171223-22:15:29:633|Step_ExtSDM|30002312|calculateCaloriesWithCache totalCalories=126775",
  };
  HeaderModel m = learn(lines);
  EXPECT_EQ(message(m, lines[0]), "onStandStepChanged 3579");
  EXPECT_EQ(message(m, lines[2]), "calculateCaloriesWithCache totalCalories=126775");
}

TEST(Header, MessagesAloneHaveNoHeader) {
  std::vector<std::string> lines = {
      "Receiving block blk_-5623 src: /10.251.75.228:53725 dest: /10.251.75.228:50010",
      "Notification time out: 3200",
      "1 ddr error(s) detected and corrected on rank 0, symbol 12 over 2390 seconds",
      "SQM: Failed to start upload with file pattern: C:\\Windows\\servicing\\sqm\\*_std.sqm",
      "Session: 30546173_4261722401 initialized by client WindowsUpdateAgent.",
  };
  EXPECT_TRUE(learn(lines).empty());
}

TEST(Header, LinesWithoutTheShapeKeepTheirText) {
  std::vector<std::string> lines;
  for (int i = 0; i < 9; ++i)
    lines.push_back("2024-01-01 12:00:0" + std::to_string(i) + ".123 ERROR [main] c.a.Order - Failed to process order " + std::to_string(i));
  lines.push_back("\tat com.acme.OrderService.process(OrderService.java:42)");
  HeaderModel m = learn(lines);
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m.message_start(lines.back()), 0u);
  EXPECT_EQ(message(m, lines[0]), "Failed to process order 0");
}

}  // namespace
}  // namespace maas::data::discovery

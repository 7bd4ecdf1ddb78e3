// ExtractionPool against real kiroku-extract workers: hostile files, and workers that hang,
// crash or die between files. A stopped worker (SIGSTOP) stands in for a parser stuck in a
// loop, and SIGKILL for a parser that crashes, so the tests need no special plugin.

#include "kiroku/indexer/ExtractionPool.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <future>
#include <random>
#include <thread>

#include "extract/TestSupport.h"

namespace kiroku::indexer {
namespace {

using namespace std::chrono_literals;
using extract::test::corpusPath;
using extract::test::ScratchFile;
using Clock = std::chrono::steady_clock;

ExtractionPool makePool(std::size_t workers = 1, std::chrono::milliseconds timeout = 20s) {
    return ExtractionPool(extract::test::workerBinary(), extract::test::pluginDir(), workers,
                          timeout);
}

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Waits until `pid` no longer runs (it is the pool's child, so it stays a zombie until the
// pool reaps it; signal 0 still succeeds on a zombie, hence the state check).
void waitUntilDead(int pid) {
    for (int i = 0; i < 200; ++i) {
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string skip, state;
        if (!(stat >> skip >> skip >> state) || state == "Z") return;
        std::this_thread::sleep_for(5ms);
    }
}

TEST(ExtractionPoolTest, PlainTextFile) {
    auto pool = makePool();
    ScratchFile file("防犯灯のＬＥＤ化について\n");
    const auto result = pool.extract(file.path());
    ASSERT_TRUE(result.ok) << result.error;
    EXPECT_EQ(result.mime, "text/plain");
    EXPECT_EQ(result.extractor, "text");
    EXPECT_EQ(result.text, "防犯灯のＬＥＤ化について");
}

TEST(ExtractionPoolTest, EmptyFileIsEmptyText) {
    auto pool = makePool();
    const auto result = pool.extract(corpusPath("テスト用/空ファイル.txt"));
    ASSERT_TRUE(result.ok) << result.error;
    EXPECT_EQ(result.text, "");
}

TEST(ExtractionPoolTest, TruncatedPdfIsAnErrorAndQuick) {
    auto pool = makePool();
    const auto start = Clock::now();
    const auto result = pool.extract(corpusPath("テスト用/破損した議事録.pdf"));
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.mime, "application/pdf");
    EXPECT_EQ(result.error, "not a readable PDF (damaged or truncated)");
    EXPECT_LT(secondsSince(start), 5.0);
}

TEST(ExtractionPoolTest, ZipBombIsCappedAndQuick) {
    auto pool = makePool();
    const auto start = Clock::now();
    const auto result = pool.extract(corpusPath("テスト用/大量文字.docx"));
    const double seconds = secondsSince(start);
    ASSERT_TRUE(result.ok) << result.error;
    EXPECT_EQ(result.extractor, "ooxml");
    EXPECT_LE(result.text.size(), ExtractionPool::kDefaultMaxBytes);
    EXPECT_GT(result.text.size(), ExtractionPool::kDefaultMaxBytes - 8);
    EXPECT_NE(result.text.find("あああ"), std::string::npos);
    EXPECT_LT(seconds, 5.0);

    const auto small = pool.extract(corpusPath("テスト用/大量文字.docx"), 1000);
    EXPECT_LE(small.text.size(), 1000u);
}

TEST(ExtractionPoolTest, RandomJunkIsAnErrorOrEmptyNeverACrash) {
    auto pool = makePool();
    std::mt19937 random(20250511);
    for (int round = 0; round < 4; ++round) {
        std::string junk(256 * 1024, '\0');
        for (char& c : junk) c = static_cast<char>(random());
        if (round == 1) junk.replace(0, 4, "PK\x03\x04", 4);
        if (round == 2) junk.replace(0, 9, "%PDF-1.5\n");
        if (round == 3) junk.replace(0, 7, "{\\rtf1 ");
        ScratchFile file(junk);
        const auto result = pool.extract(file.path());
        EXPECT_NE(result.error, "extractor crashed") << round;
        EXPECT_NE(result.error, "timeout") << round;
        if (result.ok) {
            EXPECT_LE(result.text.size(), ExtractionPool::kDefaultMaxBytes);
        }
    }
}

TEST(ExtractionPoolTest, MissingFileIsAnError) {
    auto pool = makePool();
    const auto result = pool.extract("/nonexistent/議事録.txt");
    EXPECT_FALSE(result.ok);
    EXPECT_NE(result.error.find("cannot read the file"), std::string::npos) << result.error;
}

TEST(ExtractionPoolTest, WorkerKilledMidFileFailsThatFileOnly) {
    auto pool = makePool();
    ScratchFile file("回覧板\n");
    ASSERT_TRUE(pool.extract(file.path()).ok);  // the worker is up
    const int pid = pool.workerPids().at(0);

    ::kill(pid, SIGSTOP);  // it will take the request and never answer …
    auto pending = std::async(std::launch::async, [&] { return pool.extract(file.path()); });
    std::this_thread::sleep_for(200ms);
    ::kill(pid, SIGKILL);  // … until it "crashes"
    const auto crashed = pending.get();
    EXPECT_FALSE(crashed.ok);
    EXPECT_EQ(crashed.error, "extractor crashed");

    const auto next = pool.extract(file.path());
    ASSERT_TRUE(next.ok) << next.error;
    EXPECT_EQ(next.text, "回覧板");
    EXPECT_NE(pool.workerPids().at(0), pid);
}

TEST(ExtractionPoolTest, HangingWorkerTimesOutAndIsReplaced) {
    auto pool = makePool(1, 700ms);
    ScratchFile file("回覧板\n");
    ASSERT_TRUE(pool.extract(file.path()).ok);
    const int pid = pool.workerPids().at(0);

    ::kill(pid, SIGSTOP);
    const auto start = Clock::now();
    const auto hung = pool.extract(file.path());
    const double seconds = secondsSince(start);
    EXPECT_FALSE(hung.ok);
    EXPECT_EQ(hung.error, "timeout");
    EXPECT_GE(seconds, 0.6);
    EXPECT_LT(seconds, 3.0);

    const auto next = pool.extract(file.path());
    ASSERT_TRUE(next.ok) << next.error;
    EXPECT_NE(pool.workerPids().at(0), pid);
}

TEST(ExtractionPoolTest, WorkerThatDiedWhileIdleIsReplacedWithoutBlame) {
    auto pool = makePool();
    ScratchFile file("回覧板\n");
    ASSERT_TRUE(pool.extract(file.path()).ok);
    const int pid = pool.workerPids().at(0);
    ::kill(pid, SIGKILL);
    waitUntilDead(pid);
    const auto result = pool.extract(file.path());
    ASSERT_TRUE(result.ok) << result.error;
    EXPECT_EQ(result.text, "回覧板");
}

TEST(ExtractionPoolTest, MissingWorkerBinaryIsAReason) {
    ExtractionPool pool("/nonexistent/kiroku-extract", extract::test::pluginDir());
    const auto result = pool.extract(corpusPath("テスト用/空ファイル.txt"));
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.error.rfind("cannot start the extractor", 0), 0u) << result.error;
    EXPECT_THROW(pool.start(), std::runtime_error);
}

TEST(ExtractionPoolTest, StartLaunchesEveryWorker) {
    auto pool = makePool(2);
    pool.start();
    EXPECT_EQ(pool.workerPids().size(), 2u);
}

// A field of /proc/PID/stat (1-based, as proc(5) numbers them; the name has no spaces here).
long statField(int pid, int field) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string value;
    for (int i = 0; i < field && stat >> value; ++i) {
    }
    return std::stol(value);
}

TEST(ExtractionPoolTest, OptionsReachTheWorkers) {
    ExtractionPool::Options options;
    options.workers = 1;
    options.workerArguments = {"--ocr-pages", "3"};
    options.niceness = 10;
    options.memoryLimitMiB = 512;
    ExtractionPool pool(extract::test::workerBinary(), extract::test::pluginDir(), options);
    pool.start();
    const int pid = pool.workerPids().at(0);
    EXPECT_EQ(statField(pid, 19), 10);  // nice
#ifndef KIROKU_SANITIZE                 // sanitizer builds run their workers without a memory limit
    std::ifstream limits("/proc/" + std::to_string(pid) + "/limits");
    std::string line;
    while (std::getline(limits, line) && line.rfind("Max address space", 0) != 0) {
    }
    EXPECT_NE(line.find(std::to_string(512ul << 20)), std::string::npos) << line;
#endif
    ScratchFile file("回覧板\n");
    EXPECT_TRUE(pool.extract(file.path()).ok);  // an ordinary worker still
}

TEST(ExtractionPoolTest, WorkerArgumentsItRefusesAreAReason) {
    ExtractionPool::Options options;
    options.workerArguments = {"--no-such-option"};
    ExtractionPool pool(extract::test::workerBinary(), extract::test::pluginDir(), options);
    const auto result = pool.extract(corpusPath("テスト用/空ファイル.txt"));
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.error.rfind("cannot start the extractor", 0), 0u) << result.error;
}

TEST(ExtractionPoolTest, OcrOptionsAreOneQuietWorkerThatOnlyOcrs) {
    const auto options = ExtractionPool::ocrOptions("jpn", 5, std::chrono::seconds(60));
    EXPECT_EQ(options.workers, 1u);
    EXPECT_EQ(options.niceness, 19);
    EXPECT_EQ(options.memoryLimitMiB, ExtractionPool::kOcrMemoryLimitMiB);
    EXPECT_EQ(options.timeout, std::chrono::seconds(90));
    EXPECT_EQ(options.workerArguments,
              (std::vector<std::string>{"--ocr", "--ocr-pages", "5", "--ocr-seconds", "60",
                                        "--ocr-languages", "jpn"}));
}

TEST(ExtractionPoolTest, ConcurrentCallersShareTheWorkers) {
    auto pool = makePool(2);
    std::vector<std::future<ExtractionPool::Result>> results;
    for (int i = 0; i < 8; ++i)
        results.push_back(std::async(std::launch::async, [&] {
            return pool.extract(corpusPath("桜ヶ丘自治区/名簿/令和6年度_役員名簿.csv"));
        }));
    for (auto& result : results) {
        const auto r = result.get();
        ASSERT_TRUE(r.ok) << r.error;
        EXPECT_NE(r.text.find("ﾖｼﾀﾞ"), std::string::npos);
    }
    EXPECT_LE(pool.workerPids().size(), 2u);
}

}  // namespace
}  // namespace kiroku::indexer

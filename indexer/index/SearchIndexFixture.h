#pragma once
// The fixture of SearchIndex's tests (test-only): an index in a fresh folder holding six
// documents of two associations, removed after each test; `put` files one, `find` gives
// the paths a query finds (sorted).

#include "kiroku/indexer/FileTypes.h"
#include "kiroku/indexer/SearchIndex.h"

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace kiroku::indexer::fixtures {

class SearchIndexTest : public ::testing::Test {
public:
    // Files `text` as the document at `path` (modified at a fixed time).
    static void put(SearchIndex::Batch& b, const std::string& path, const std::string& text) {
        IndexedDocument d;
        d.path = path;
        d.text = text;
        d.modifiedUs = 1700000000000000;
        d.type = searchTypeOf(path);
        b.put(d);
    }

protected:
    void SetUp() override {
        dir_ = Poco::TemporaryFile::tempName();
        index_ = std::make_unique<SearchIndex>(dir_);
        auto b = index_->batch();
        put(b, "桜ヶ丘自治区/議事録/令和5年度_定期総会議事録.txt",
            "防犯灯のLED 化について審議。2024年4月から実施。");
        put(b, "桜ヶ丘自治区/議事録/東京都の件.txt", "東京都の補助金について。");
        put(b, "桜ヶ丘自治区/回覧/旅行.txt", "東京と京都へ行きます。令和6年4月");
        put(b, "桜ヶ丘自治区/名簿/名簿.txt", "防犯灯 担当 吉田");
        put(b, "緑町自治区/引継ぎ/鍵の場所.txt", "");
        put(b, "緑町自治区/議事録/ｺﾞﾐ当番.txt", "ゴミ当番は第3公園の清掃。PTA 会費 2023 年分");
        b.commit();
    }
    void TearDown() override { Poco::File(dir_).remove(true); }
    std::vector<std::string> find(const std::string& q, const ReadableScope& readable = everyone) {
        SearchQuery query;
        query.text = q;
        query.limit = 50;
        std::vector<std::string> out;
        for (const auto& h : index_->search(query, readable).hits) out.push_back(h.path);
        std::sort(out.begin(), out.end());
        return out;
    }
    inline static const ReadableScope everyone = ReadableScope::everything();
    std::string dir_;
    std::unique_ptr<SearchIndex> index_;
};

}  // namespace kiroku::indexer::fixtures

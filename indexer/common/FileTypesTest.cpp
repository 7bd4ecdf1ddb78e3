#include "kiroku/indexer/FileTypes.h"

#include <gtest/gtest.h>

using namespace kiroku::indexer;

TEST(FileTypes, OneTableForTheServerAndTheIndex) {
    struct Case {
        const char* name;
        const char* mime;
        const char* search;
    };
    const Case cases[] = {
        {"議事録.PDF", "application/pdf", "pdf"},
        {"会計.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
        {"メモ.txt", "text/plain; charset=utf-8", "text"},
        {"メモ.md", "text/markdown", "text"},
        {"写真.JPEG", "image/jpeg", "image"},
        {"文書.jtd", "application/x-js-taro", "jtd"},
        // Unknown and missing extensions: the server sends bytes, the index files the
        // extension itself, or "other".
        {"README", "application/octet-stream", "other"},
        {"名簿.", "application/octet-stream", "other"},
        {"図面.DWG", "application/octet-stream", "dwg"},
        {"backup.tar.gz", "application/octet-stream", "gz"},
        {"a.Markdown", "application/octet-stream", "markdown"},
    };
    for (const Case& c : cases) {
        EXPECT_STREQ(mimeTypeOf(c.name), c.mime) << c.name;
        EXPECT_EQ(searchTypeOf(c.name), c.search) << c.name;
    }
}

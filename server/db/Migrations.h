#pragma once
// The schema of meta.db as a numbered list of migrations. A database records how many
// it has had (meta 'schema'); opening it applies the rest, each in one transaction, so
// an interrupted upgrade resumes where it stopped. Migrations are never edited once
// released: a change to the schema is a new migration at the end of the list.

#include <Poco/Data/Session.h>

namespace kiroku {
class Database;
}

namespace kiroku::db {

// The number of migrations this build knows (the schema version it writes).
int latestSchema();

// The schema version of an open database (0 for an empty file).
int schemaVersion(Poco::Data::Session& session);

// Applies migrations `from` + 1 … `to` to a session, each in a transaction of its own
// (for tests that build a database as an earlier release left it).
void applyMigrations(Poco::Data::Session& session, int from, int to);

// Applies every migration the database has not had. Throws std::runtime_error when
// the database is newer than this build.
void migrate(Database& db);

}  // namespace kiroku::db

// kiroku init: makes a new data directory, on purpose (every other command refuses a
// folder without meta.db). It does what kirokud's first start does: the sub-folders,
// kiroku.properties with the commented defaults (unless --config names another file or
// one is there already) and meta.db, last, so that an interrupted init is simply run
// again. Only in a new or empty folder (DataDir::canBecomeDataDirectory); on a data
// directory it says so and changes nothing.
#include "cli/Env.h"

#include <Poco/File.h>
#include <Poco/Path.h>
#include <sys/stat.h>

namespace kiroku::cli {

int initCommand(Env& env, const std::string& dataDir, const std::string& configFile) {
    if (env.args.size() > 1) throw UsageError(msg("cli.usage.init_no_arguments"));
    DataDir dir(dataDir);
    if (dir.isDataDirectory()) {
        env.say(msg("cli.init.exists", {{"path", dir.root()}}));
        return 0;
    }
    if (!configFile.empty() && !Poco::File(configFile).exists()) {
        throw UsageError(msg("cli.usage.no_config", {{"path", configFile}}));
    }
    if (!dir.canBecomeDataDirectory()) {
        throw Refusal(msg("cli.init.not_empty", {{"path", dir.root()}}));
    }
    // One folder is made, not a chain of them (as mkdir without -p): a misspelt parent
    // should show, not be created.
    Poco::Path parent = Poco::Path(dir.root()).parent();
    if (!Poco::File(parent).exists()) {
        throw Refusal(
            msg("cli.init.no_parent",
                {{"path", dir.root()}, {"parent", parent.toString(Poco::Path::PATH_UNIX)}}));
    }
    dir.ensureLayout();
    // Not through a link, even a dangling one: install.sh links kiroku.properties to
    // /etc/kiroku, which the service's user may not write.
    struct stat st {};
    if (configFile.empty() && ::lstat(dir.properties().c_str(), &st) != 0) {
        Settings::writeDefaultFile(dir.properties());
    }
    Database db(dir.metaDb());
    env.say(msg("cli.init.done", {{"path", dir.root()}}));
    return 0;
}

}  // namespace kiroku::cli

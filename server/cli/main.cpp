// kiroku: the Kiroku administration command.
#include "cli/Commands.h"

#include <sys/stat.h>

int main(int argc, char** argv) {
    // What the CLI writes into the data folder is for the service's user and group only.
    ::umask(027);
    std::vector<std::string> args(argv + 1, argv + argc);
    return kiroku::cli::run(args, std::cin, std::cout, std::cerr);
}

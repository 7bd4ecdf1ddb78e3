// kiroku: the Kiroku administration command.
#include "cli/Commands.h"

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    return kiroku::cli::run(args, std::cin, std::cout, std::cerr);
}

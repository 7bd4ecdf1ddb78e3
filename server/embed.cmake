# Turns a file into a C++ source defining `const std::string& NAME()` with its contents.
# Usage: cmake -DINPUT=... -DOUTPUT=... -DNAME=... -P embed.cmake
file(READ "${INPUT}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE "${OUTPUT}" "#include <string>\nnamespace kiroku {\nconst std::string& ${NAME}() {\n  static const char data[] = {${bytes} 0};\n  static const std::string text(data, sizeof(data) - 1);\n  return text;\n}\n}  // namespace kiroku\n")

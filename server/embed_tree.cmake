# Turns every file below a folder into a C++ source defining
# `const std::vector<std::pair<std::string, std::string>>& NAME()`: (path relative to the
# folder, contents), sorted by path. Usage: cmake -DINPUT=DIR -DOUTPUT=... -DNAME=... -P embed_tree.cmake
file(GLOB_RECURSE files RELATIVE "${INPUT}" "${INPUT}/*")
list(SORT files)
set(body "")
foreach(f IN LISTS files)
  file(READ "${INPUT}/${f}" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
  string(HEX "${f}" fhex)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," fbytes "${fhex}")
  string(APPEND body "    {fromChars({${fbytes} 0}), fromChars({${bytes} 0})},\n")
endforeach()
file(WRITE "${OUTPUT}" "#include <string>\n#include <utility>\n#include <vector>\nnamespace kiroku {\nnamespace {\nstd::string fromChars(std::initializer_list<char> c) { return std::string(c.begin(), c.end() - 1); }\n}\nconst std::vector<std::pair<std::string, std::string>>& ${NAME}() {\n  static const std::vector<std::pair<std::string, std::string>> files = {\n${body}  };\n  return files;\n}\n}  // namespace kiroku\n")

# The docs_diagrams_dot test: `dot -Tsvg` parses each drawing DIR/<name>.dot
# (NAMES separated by '|') without an error or a warning, and makes an SVG.
# Fails when dot is missing: the check must not pass by being skipped.
if(NOT DOT)
  message(FATAL_ERROR "Graphviz's dot was not found when the build was configured: install graphviz "
                      "(scripts/install-deps.sh test) and configure again")
endif()
string(REPLACE "|" ";" names "${NAMES}")
if(names STREQUAL "")
  message(FATAL_ERROR "no workflow diagrams to check")
endif()
foreach(name IN LISTS names)
  execute_process(COMMAND ${DOT} -Tsvg ${DIR}/${name}.dot
                  OUTPUT_VARIABLE svg ERROR_VARIABLE errors RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR NOT errors STREQUAL "" OR NOT svg MATCHES "<svg")
    message(FATAL_ERROR "dot -Tsvg ${DIR}/${name}.dot failed (${rc}):\n${errors}")
  endif()
  message(STATUS "${name}.dot: parsed")
endforeach()

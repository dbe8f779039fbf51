# ledger_embed_files(OUTPUT file.cc INPUTS a.json... [BASE dir] HEADER h
#                    NAMESPACE ns TYPE t FUNCTION f COMMENT text)
# Generates OUTPUT (embed_files.cmake) from the shipped data files: the
# library that lists OUTPUT among its sources carries them, so nothing reads
# data/ at run time. Reruns when a file or the script changes.
set(LEDGER_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_files.cmake)
function(ledger_embed_files)
  cmake_parse_arguments(E "" "OUTPUT;BASE;HEADER;NAMESPACE;TYPE;FUNCTION;COMMENT"
                        "INPUTS" ${ARGN})
  add_custom_command(
    OUTPUT ${E_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${E_OUTPUT} "-DINPUTS=${E_INPUTS}"
            -DBASE=${E_BASE} -DHEADER=${E_HEADER} -DNAMESPACE=${E_NAMESPACE}
            -DTYPE=${E_TYPE} -DFUNCTION=${E_FUNCTION} -P ${LEDGER_EMBED_SCRIPT}
    DEPENDS ${E_INPUTS} ${LEDGER_EMBED_SCRIPT}
    COMMENT "${E_COMMENT}"
    VERBATIM)
endfunction()

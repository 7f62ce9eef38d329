# Embeds Leaflet (Debian's libjs-leaflet) into landel so report.html works offline with no
# file beside it. Run with -DOUT=<file.cpp> -DJS=<leaflet.min.js> -DCSS=<leaflet.css>.
function(bytes_of path var)
    file(READ "${path}" hex HEX)
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
    set(${var} "${hex}" PARENT_SCOPE)
endfunction()
bytes_of("${JS}" js)
bytes_of("${CSS}" css)
file(WRITE "${OUT}" "// Generated from ${JS} and ${CSS} by render/embed_assets.cmake. Leaflet is BSD-2-Clause.\n"
    "#include <cstddef>\nnamespace landel::render::detail {\n"
    "extern const unsigned char leaflet_js[] = { ${js} 0x00 };\n"
    "extern const std::size_t leaflet_js_size = sizeof(leaflet_js) - 1;\n"
    "extern const unsigned char leaflet_css[] = { ${css} 0x00 };\n"
    "extern const std::size_t leaflet_css_size = sizeof(leaflet_css) - 1;\n}\n")

# mha_folder_library(NAME): a static library of every .cpp in the calling folder (not in
# subfolders). A folder with no sources yet gives an INTERFACE library, so the tree builds
# while parts are still arriving.
function(mha_folder_library name)
    file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
    list(FILTER sources EXCLUDE REGEX ".*/main\\.cpp$")
    if(sources)
        add_library(${name} STATIC ${sources})
        set(${name}_SCOPE PUBLIC PARENT_SCOPE)
    else()
        add_library(${name} INTERFACE)
        set(${name}_SCOPE INTERFACE PARENT_SCOPE)
    endif()
endfunction()

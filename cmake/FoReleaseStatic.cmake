# FO_RELEASE_STATIC: the release binaries (scripts/release.sh) carry their dependencies. libcurl and cJSON
# are built from Debian's source packages by scripts/build-release-deps.sh (HTTP(S) only, no LDAP, RTMP,
# GSSAPI...: FO_RELEASE_DEPS_DIR, run here when not given); every other library Debian ships a static archive
# of is linked from that archive (scripts/install-deps.sh installs the -dev packages that carry them). The
# provider then needs nothing but glibc and is linked non-PIE (no relative relocations to apply at start).
# The auditor's libgit2 and libmongoc still bring a few shared libraries (GSSAPI/Kerberos, SASL...):
# release.sh bundles them next to it, found through an RPATH of $ORIGIN/../lib.

set(FO_RELEASE_DEPS_DIR "" CACHE PATH "Prefix of the release's libcurl and cJSON (scripts/build-release-deps.sh)")
if(NOT FO_RELEASE_DEPS_DIR)
  execute_process(COMMAND ${PROJECT_SOURCE_DIR}/scripts/build-release-deps.sh
                  OUTPUT_VARIABLE deps_dir OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR NOT IS_DIRECTORY "${deps_dir}")
    message(FATAL_ERROR "FO_RELEASE_STATIC: scripts/build-release-deps.sh failed")
  endif()
  set(FO_RELEASE_DEPS_DIR ${deps_dir} CACHE PATH "" FORCE)
endif()
foreach(f lib/libcurl.a lib/libcjson.a lib/pkgconfig/libcurl.pc lib/pkgconfig/libcjson.pc)
  if(NOT EXISTS ${FO_RELEASE_DEPS_DIR}/${f})
    message(FATAL_ERROR "FO_RELEASE_STATIC: no ${f} in FO_RELEASE_DEPS_DIR ${FO_RELEASE_DEPS_DIR}")
  endif()
endforeach()
# Their .pc files and archives come first; our code compiles against their headers.
set(ENV{PKG_CONFIG_PATH} "${FO_RELEASE_DEPS_DIR}/lib/pkgconfig:$ENV{PKG_CONFIG_PATH}")
list(PREPEND CMAKE_PREFIX_PATH ${FO_RELEASE_DEPS_DIR})
foreach(prefix CURL CJSON)
  set_property(TARGET PkgConfig::${prefix} PROPERTY INTERFACE_INCLUDE_DIRECTORIES ${FO_RELEASE_DEPS_DIR}/include)
  set_property(TARGET PkgConfig::${prefix} PROPERTY INTERFACE_COMPILE_OPTIONS "")
endforeach()
set_property(TARGET PkgConfig::CURL PROPERTY INTERFACE_COMPILE_DEFINITIONS CURL_STATICLIB)
# Non-PIE: the program's own image needs no relocation at start (a PIE one had 46k relative relocations,
# a 1.1 MB .rela.dyn read and .data.rel.ro made dirty); the price is no ASLR for that image (the stack,
# heap and glibc are still randomised), as in the Go providers HashiCorp ships. OFF: a PIE build, to compare.
option(FO_RELEASE_NO_PIE "Release binaries: link non-PIE (FO_RELEASE_STATIC)" ON)
# The provider's start-up code gathered ahead of .text (provider/CMakeLists.txt); OFF: the plain layout, to compare.
option(FO_RELEASE_HOT_TEXT "Release provider: link with cmake/release-hot-text.ld (FO_RELEASE_STATIC)" ON)
if(FO_RELEASE_NO_PIE)
  add_compile_options(-fno-pie)
  add_link_options(-no-pie)
endif()

# Names whose static archive is not lib<name>.a.
set(FO_STATIC_ALIAS_yajl yajl_s)
# Static archives whose own dependencies their .pc file leaves out: libgit2's Negotiate (SPNEGO) auth
# calls GSSAPI (Debian ships no libgssapi_krb5.a: it stays shared, bundled with the auditor).
set(FO_STATIC_EXTRA_git2 -lgssapi_krb5)
# Archives never to take: Debian's libsasl2.a has every SASL plug-in built in (SQL, Berkeley DB...).
set(FO_STATIC_NEVER sasl2)

# fo_shared_item(OUT -lNAME): the shared library for -lNAME; without its -dev package there is no
# libNAME.so link, so the versioned file of the runtime package is named (ld takes its SONAME).
function(fo_shared_item out flag)
  string(REGEX REPLACE "^-l" "" name ${flag})
  unset(path)  # (a caller's `path` would be taken as already found)
  find_library(path NAMES lib${name}.so NO_CACHE)
  if(NOT path)
    # (OpenLDAP's runtime files carry the release in the name: liblber-2.5.so.0)
    file(GLOB path /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/lib${name}.so.[0-9]*
                   /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/lib${name}-[0-9]*.so.[0-9]*)
    list(SORT path)
    if(path)
      list(GET path 0 path)
    endif()
  endif()
  if(NOT path)
    message(FATAL_ERROR "FO_RELEASE_STATIC: no static or shared library for ${flag}")
  endif()
  set(${out} ${path} PARENT_SCOPE)
endfunction()

# fo_static_items(OUT MODULE...): the `pkg-config --static --libs` items of the modules, each -lNAME
# replaced by the path of its static archive where one exists (left as -lNAME, shared, otherwise).
function(fo_static_items out)
  execute_process(COMMAND ${PKG_CONFIG_EXECUTABLE} --static --libs ${ARGN}
                  OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config --static --libs ${ARGN} failed")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  set(all)
  foreach(flag IN LISTS flags)
    list(APPEND all ${flag})
    if(flag MATCHES "^-l(.+)$")
      list(APPEND all ${FO_STATIC_EXTRA_${CMAKE_MATCH_1}})
    endif()
  endforeach()
  set(items)
  foreach(flag IN LISTS all)
    if(flag MATCHES "^-l(.+)$")
      set(name ${CMAKE_MATCH_1})
      set(archive ${name})
      unset(path)
      if(DEFINED FO_STATIC_ALIAS_${name})
        set(archive ${FO_STATIC_ALIAS_${name}})
      endif()
      if(NOT name IN_LIST FO_STATIC_NEVER)
        find_library(path NAMES lib${archive}.a NO_CACHE)
      endif()
      if(NOT path AND name MATCHES "^(atomic|stdc\\+\\+)$")  # the compiler's own runtime archives
        execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=lib${name}.a
                        OUTPUT_VARIABLE path OUTPUT_STRIP_TRAILING_WHITESPACE)
      endif()
      if(name MATCHES "^(dl|pthread|rt|m|c|resolv)$")
        list(APPEND items ${flag})  # glibc
      elseif(path)
        list(APPEND items ${path})
      else()
        fo_shared_item(shared ${flag})
        list(APPEND items ${shared})
      endif()
      unset(path)
    elseif(NOT flag MATCHES "^-(L|Wl,)")  # (grpc's --push-state,--as-needed around -latomic: static here)
      list(APPEND items ${flag})
    endif()
  endforeach()
  set(${out} ${items} PARENT_SCOPE)
endfunction()

# Every dependency's items, gathered once and linked at the end of each link line (CMAKE_C_STANDARD_LIBRARIES)
# as one archive group, so the order of the static archives does not matter; the imported targets and
# GRPC_LIB keep their include directories but link nothing themselves.
set(FO_STATIC_ARCHIVES)
set(FO_SHARED_ITEMS)
foreach(pair CJSON:libcjson MPFR:mpfr MSGPACK:msgpack OPENSSL:openssl CURL:libcurl LIBXML2:libxml-2.0
             YAML:yaml-0.1 YAJL:yajl LIBGIT2:libgit2 PCRE2:libpcre2-8 PROTOBUFC:libprotobuf-c GRPC:grpc)
  string(REPLACE ":" ";" pair ${pair})
  list(GET pair 0 prefix)
  list(GET pair 1 module)
  fo_static_items(items ${module})
  foreach(item IN LISTS items)
    if(item MATCHES "\\.a$")
      list(APPEND FO_STATIC_ARCHIVES ${item})
    elseif(NOT item MATCHES "^-(l(dl|pthread|rt|m|c|resolv)|pthread)$")
      list(APPEND FO_SHARED_ITEMS ${item})
    endif()
  endforeach()
  if(TARGET PkgConfig::${prefix})
    set_property(TARGET PkgConfig::${prefix} PROPERTY INTERFACE_LINK_LIBRARIES "")
  endif()
endforeach()
list(REMOVE_DUPLICATES FO_STATIC_ARCHIVES)
list(REMOVE_DUPLICATES FO_SHARED_ITEMS)
set(GRPC_LIB "")
set(GPR_LIB "")
# gRPC and ICU are C++: their runtime comes static too (the system's libstdc++ is not glibc).
execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=libstdc++.a
                OUTPUT_VARIABLE FO_LIBSTDCXX_A OUTPUT_STRIP_TRAILING_WHITESPACE)
list(JOIN FO_STATIC_ARCHIVES " " static_list)
list(JOIN FO_SHARED_ITEMS " " shared_list)
set(CMAKE_C_STANDARD_LIBRARIES
    "-Wl,--start-group ${static_list} ${FO_LIBSTDCXX_A} -Wl,--end-group -Wl,--as-needed ${shared_list} -lm -ldl -lrt -pthread")
add_link_options(-static-libgcc)
message(STATUS "FO_RELEASE_STATIC: static ${FO_STATIC_ARCHIVES}")
message(STATUS "FO_RELEASE_STATIC: shared (bundled) ${FO_SHARED_ITEMS}")

# fo_release_rpath(): called once the programs exist. Each gets common/compat/fo_release_compat.c (arc4random:
# glibc 2.35 is enough, not 2.36). The provider needs only glibc, so it has no RPATH; the auditor's bundled
# libraries sit in ../lib beside its bin/ (the tarball). DT_RPATH rather than DT_RUNPATH: it also serves the
# bundled libraries' own dependencies (Kerberos under libmariadb and libmongoc's SASL).
function(fo_release_rpath)
  foreach(tgt terraform-provider-failover failover-audit)
    if(TARGET ${tgt})
      target_sources(${tgt} PRIVATE ${PROJECT_SOURCE_DIR}/common/compat/fo_release_compat.c)
    endif()
  endforeach()
  if(TARGET failover-audit)
    # (BUILD_WITH_INSTALL_RPATH: exactly this entry; BUILD_RPATH would add an empty one, i.e. the cwd)
    set_target_properties(failover-audit PROPERTIES BUILD_WITH_INSTALL_RPATH ON INSTALL_RPATH "$ORIGIN/../lib")
    target_link_options(failover-audit PRIVATE LINKER:--disable-new-dtags)
  endif()
endfunction()

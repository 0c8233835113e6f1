# FO_RELEASE_STATIC: the release binaries (scripts/release.sh) carry their dependencies. Every library
# Debian ships a static archive of is linked from that archive (scripts/install-deps.sh installs the -dev
# packages that carry them); the few it does not (cJSON, GSSAPI/Kerberos under curl and libgit2, p11-kit
# under GnuTLS, SASL under LDAP, plus what those need) stay shared, and release.sh bundles them next to
# the program, found through an RPATH of $ORIGIN. Only glibc comes from the system.

# Names whose static archive is not lib<name>.a.
set(FO_STATIC_ALIAS_yajl yajl_s)
# Static archives whose own dependencies curl's .pc file leaves out: a few by name, the others through
# their own .pc file (rtmp and ldap bring GnuTLS, ldap SASL, psl idn2).
set(FO_STATIC_EXTRA_idn2 -lunistring)
set(FO_STATIC_EXTRA_brotlidec -lbrotlicommon)
set(FO_STATIC_MODULE_rtmp librtmp)
set(FO_STATIC_MODULE_ldap ldap)
set(FO_STATIC_MODULE_psl libpsl)
# Archives not to take: Debian's libsasl2.a has every SASL plug-in built in (SQL, Berkeley DB...).
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
      set(lib ${CMAKE_MATCH_1})
      list(APPEND all ${FO_STATIC_EXTRA_${lib}})
      if(DEFINED FO_STATIC_MODULE_${lib})
        execute_process(COMMAND ${PKG_CONFIG_EXECUTABLE} --static --libs ${FO_STATIC_MODULE_${lib}}
                        OUTPUT_VARIABLE more OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
        if(rc EQUAL 0)  # (without the -dev package there is neither the .pc nor the archive)
          separate_arguments(more UNIX_COMMAND "${more}")
          list(APPEND all ${more})
        endif()
      endif()
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
# glibc 2.35 is enough, not 2.36). The bundled libraries sit next to the provider (the
# zip is unpacked flat) and in ../lib beside the auditor's bin/ (the tarball). DT_RPATH rather than
# DT_RUNPATH: it also serves the bundled libraries' own dependencies (gnutls under rtmp and ldap).
function(fo_release_rpath)
  foreach(pair terraform-provider-failover:$ORIGIN failover-audit:$ORIGIN/../lib)
    string(REPLACE ":" ";" pair ${pair})
    list(GET pair 0 tgt)
    list(GET pair 1 rpath)
    if(TARGET ${tgt})
      target_sources(${tgt} PRIVATE ${PROJECT_SOURCE_DIR}/common/compat/fo_release_compat.c)
      set_target_properties(${tgt} PROPERTIES BUILD_RPATH "${rpath}" INSTALL_RPATH "${rpath}")
      target_link_options(${tgt} PRIVATE LINKER:--disable-new-dtags)
    endif()
  endforeach()
endfunction()

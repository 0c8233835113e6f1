# Install rules and the Debian package of the auditor (CPack, DEB generator): `cmake --install` puts
# failover-audit under the prefix; scripts/release.sh runs cpack on a -DCMAKE_INSTALL_PREFIX=/usr build.
# The provider has no install rule: Terraform and OpenTofu install it from a mirror (README, Install).
include(GNUInstallDirs)
if(TARGET failover-audit)
  install(TARGETS failover-audit RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES ${PROJECT_SOURCE_DIR}/docs/auditor.md ${PROJECT_SOURCE_DIR}/docs/audit-rules.md
                ${PROJECT_SOURCE_DIR}/docs/report-formats.md ${PROJECT_SOURCE_DIR}/CHANGELOG.md
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/failover-audit)
endif()

set(CPACK_PACKAGE_NAME failover-audit)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR failover)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "drift auditor for two-region AWS disaster recovery")
set(CPACK_PACKAGE_DESCRIPTION
    "failover-audit diffs the primary region against the secondary (Terraform state, Kubernetes manifests, per-region recipes), knows which differences are expected and reports drift for a CI gate and for reviewers.")
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # failover-audit_VERSION_amd64.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "failover maintainers <failover@example.invalid>")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Runtime Depends from the binary's libraries (dpkg-shlibdeps), so apt installs libgit2, cJSON... with it.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS ca-certificates)  # HTTPS to AWS
include(CPack)

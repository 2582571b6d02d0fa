# `make install` and `make package` (.deb via CPack). Binaries go to <prefix>/bin, the
# default configuration to /etc/247trader (dpkg conffiles: local edits survive upgrades),
# the systemd unit, sysusers file, Prometheus rules, Grafana dashboard and docs with
# deploy/install.cmake.
include(GNUInstallDirs)
include(${PROJECT_SOURCE_DIR}/deploy/install.cmake)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/config/ DESTINATION /etc/247trader
        FILES_MATCHING PATTERN "*.toml" PATTERN "*.md")
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/architecture.md
        ${PROJECT_SOURCE_DIR}/docs/configuration.md ${PROJECT_SOURCE_DIR}/docs/state.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME 247trader)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "247trader maintainers <maintainers@247trader.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "24/7 crypto trading daemon for Coinbase (supervised actor system)")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)

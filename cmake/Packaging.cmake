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

# What a Debian package must carry beside the binaries: copyright, a compressed changelog
# (gzip -9n: reproducible; changelog.gz, the name of a native package's) and a manual page
# per command.
set(_trader_deb ${PROJECT_SOURCE_DIR}/deploy/debian)
configure_file(${_trader_deb}/changelog ${CMAKE_BINARY_DIR}/debian/changelog @ONLY)
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/debian/changelog.gz
  COMMAND gzip -9nkf ${CMAKE_BINARY_DIR}/debian/changelog
  DEPENDS ${CMAKE_BINARY_DIR}/debian/changelog)
add_custom_target(trader_deb_changelog ALL DEPENDS ${CMAKE_BINARY_DIR}/debian/changelog.gz)
install(FILES ${_trader_deb}/copyright ${CMAKE_BINARY_DIR}/debian/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
foreach(_page traderd traderctl backtest)
  add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/debian/${_page}.1.gz
    COMMAND gzip -9nc ${PROJECT_SOURCE_DIR}/deploy/man/${_page}.1 > ${CMAKE_BINARY_DIR}/debian/${_page}.1.gz
    DEPENDS ${PROJECT_SOURCE_DIR}/deploy/man/${_page}.1)
  list(APPEND _trader_man ${CMAKE_BINARY_DIR}/debian/${_page}.1.gz)
endforeach()
add_custom_target(trader_man_pages ALL DEPENDS ${_trader_man})
install(FILES ${_trader_man} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${_trader_deb}/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
        RENAME 247trader)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME 247trader)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "247trader maintainers <maintainers@247trader.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "24/7 crypto trading daemon for Coinbase (supervised actor system)")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://247trader.invalid/")
set(CPACK_PACKAGE_DESCRIPTION "traderd trades on Coinbase Advanced Trade inside configured
limits, fails closed on uncertainty and never sends an order twice. traderctl
operates it over a local control socket; backtest replays the same decision
logic in virtual time.")
# postinst runs systemd-sysusers; the shared-library dependencies are appended by SHLIBDEPS.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd | systemd-standalone-sysusers")
# The DEB generator strips the binaries itself and moves their debug info into
# 247trader-dbgsym (a .ddeb beside the .deb, found through the build id by gdb and
# systemd-coredump). CPACK_STRIP_FILES must stay off: it would strip before the split.
set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)
# Maintainer scripts (deploy/debian): create the service user, reload systemd, never start
# or enable traderd on install. conffiles: every shipped file under /etc/247trader.
file(GLOB_RECURSE _trader_conffiles RELATIVE ${PROJECT_SOURCE_DIR}/config
     ${PROJECT_SOURCE_DIR}/config/*.toml ${PROJECT_SOURCE_DIR}/config/*.md)
list(SORT _trader_conffiles)
list(TRANSFORM _trader_conffiles PREPEND /etc/247trader/)
list(JOIN _trader_conffiles "\n" _trader_conffiles)
file(WRITE ${CMAKE_BINARY_DIR}/debian/conffiles "${_trader_conffiles}\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/deploy/debian/postinst ${PROJECT_SOURCE_DIR}/deploy/debian/prerm
    ${PROJECT_SOURCE_DIR}/deploy/debian/postrm ${CMAKE_BINARY_DIR}/debian/conffiles)
include(CPack)

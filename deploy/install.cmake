# Install rules for the deploy files; include() this from the packaging/installation CMake
# (cmake/Packaging.cmake) so `make install` and the .deb ship them. Paths are relative to
# CMAKE_INSTALL_PREFIX (/usr for the .deb, /usr/local by default).
include(GNUInstallDirs)
set(_trader_deploy ${CMAKE_CURRENT_LIST_DIR})
install(FILES ${_trader_deploy}/systemd/traderd.service DESTINATION lib/systemd/system COMPONENT runtime)
install(FILES ${_trader_deploy}/systemd/traderd.sysusers.conf DESTINATION lib/sysusers.d
        RENAME 247trader.conf COMPONENT runtime)
install(FILES ${_trader_deploy}/prometheus/traderd.rules.yml ${_trader_deploy}/prometheus/traderd.rules.test.yml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/247trader/prometheus COMPONENT runtime)
install(FILES ${_trader_deploy}/grafana/traderd.json DESTINATION ${CMAKE_INSTALL_DATADIR}/247trader/grafana
        COMPONENT runtime)
install(FILES ${_trader_deploy}/../docs/operations.md ${_trader_deploy}/../docs/metrics.md
        ${_trader_deploy}/../docs/alerts.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
install(FILES ${_trader_deploy}/bash-completion/traderctl
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions COMPONENT runtime)

# Installation and Debian packages (CPack): `cpack -G DEB` in the build
# directory writes three packages:
#   hall-common   assets: catalogue, policies, calendar, string tables, layouts (/usr/share/hall)
#   hall-server   hall-server, hallctl, hall-sim, its unit and /etc/hall/hall.json
#   hall-screens  hall-display, hall-kiosk, hall-counter, hall-evaluator, their
#                 units (cage sessions), /etc/hall/kiosk.json, screen.env, display layouts
#   hall-county   hall-county (PostgreSQL through libpq), county-sim, its unit and /etc/hall/county.json
# hall-relay and hall-gateway go with hall-server (a relay or web box needs nothing else).
include(GNUInstallDirs)

install(TARGETS hall-server hallctl hall-sim hall-relay hall-gateway RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT server)
install(TARGETS hall-county county-sim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT county)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/systemd/hall-county.service DESTINATION lib/systemd/system COMPONENT county)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/etc/hall/county.json DESTINATION /etc/hall COMPONENT county)
install(FILES ${CMAKE_SOURCE_DIR}/docs/COUNTY.md ${CMAKE_SOURCE_DIR}/deploy/README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/hall-county COMPONENT county)
install(TARGETS hall-display hall-kiosk hall-counter hall-evaluator RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT screens)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/assets/ DESTINATION ${CMAKE_INSTALL_DATADIR}/hall COMPONENT common)

install(FILES ${CMAKE_SOURCE_DIR}/deploy/systemd/hall-server.service ${CMAKE_SOURCE_DIR}/deploy/systemd/hall-relay@.service
              ${CMAKE_SOURCE_DIR}/deploy/systemd/hall-gateway.service
        DESTINATION lib/systemd/system COMPONENT server)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/etc/hall/hall.json DESTINATION /etc/hall COMPONENT server)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/README.md ${CMAKE_SOURCE_DIR}/docs/PROTOCOL.md ${CMAKE_SOURCE_DIR}/docs/UPSTREAM.md ${CMAKE_SOURCE_DIR}/docs/WEB.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/hall-server COMPONENT server)

install(FILES ${CMAKE_SOURCE_DIR}/deploy/systemd/hall-display@.service ${CMAKE_SOURCE_DIR}/deploy/systemd/hall-kiosk.service
              ${CMAKE_SOURCE_DIR}/deploy/systemd/hall-counter@.service ${CMAKE_SOURCE_DIR}/deploy/systemd/hall-evaluator@.service
        DESTINATION lib/systemd/system COMPONENT screens)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/etc/hall/kiosk.json ${CMAKE_SOURCE_DIR}/deploy/etc/hall/counter.json ${CMAKE_SOURCE_DIR}/deploy/etc/hall/evaluator.json
              ${CMAKE_SOURCE_DIR}/deploy/etc/hall/screen.env DESTINATION /etc/hall COMPONENT screens)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/assets/displays/ DESTINATION /etc/hall/displays COMPONENT screens)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/hall-screens COMPONENT screens)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME hall)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Hall system maintainers <hall@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "政务服务大厅 kiosks, displays and hall server")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL common server screens county)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)            # library dependencies from the binaries (dpkg-shlibdeps)
set(CPACK_STRIP_FILES ON)                         # debug info stays in the build tree
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_COMMON_PACKAGE_NAME hall-common)
set(CPACK_DEBIAN_COMMON_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_COMMON_PACKAGE_DEPENDS "fonts-noto-cjk")
set(CPACK_DEBIAN_SERVER_PACKAGE_NAME hall-server)
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "hall-common (= ${PROJECT_VERSION}), adduser")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA "${CMAKE_BINARY_DIR}/debian/server/postinst;${CMAKE_BINARY_DIR}/debian/server/conffiles")
set(CPACK_DEBIAN_SCREENS_PACKAGE_NAME hall-screens)
set(CPACK_DEBIAN_SCREENS_PACKAGE_DEPENDS "hall-common (= ${PROJECT_VERSION}), adduser, fontconfig, espeak-ng-data, rime-data-luna-pinyin, tegaki-zinnia-simplified-chinese")  # the kiosk's voice, pinyin dictionary and handwriting model
set(CPACK_DEBIAN_SCREENS_PACKAGE_RECOMMENDS "cage")
set(CPACK_DEBIAN_SCREENS_PACKAGE_CONTROL_EXTRA "${CMAKE_BINARY_DIR}/debian/screens/postinst;${CMAKE_BINARY_DIR}/debian/screens/conffiles")

set(CPACK_DEBIAN_COUNTY_PACKAGE_NAME hall-county)
set(CPACK_DEBIAN_COUNTY_PACKAGE_DEPENDS "hall-common (= ${PROJECT_VERSION}), hall-server (= ${PROJECT_VERSION})")  # the hall user; county-sim runs hall-server
set(CPACK_DEBIAN_COUNTY_PACKAGE_RECOMMENDS "postgresql-15")
set(CPACK_DEBIAN_COUNTY_PACKAGE_CONTROL_EXTRA "${CMAKE_BINARY_DIR}/debian/county/conffiles")
file(WRITE ${CMAKE_BINARY_DIR}/debian/county/conffiles "/etc/hall/county.json\n")

# Maintainer scripts and the configuration files dpkg must not overwrite on update.
configure_file(${CMAKE_SOURCE_DIR}/deploy/debian/server-postinst ${CMAKE_BINARY_DIR}/debian/server/postinst COPYONLY)
configure_file(${CMAKE_SOURCE_DIR}/deploy/debian/screens-postinst ${CMAKE_BINARY_DIR}/debian/screens/postinst COPYONLY)
file(WRITE ${CMAKE_BINARY_DIR}/debian/server/conffiles "/etc/hall/hall.json\n")
file(GLOB HALL_LAYOUTS RELATIVE ${CMAKE_SOURCE_DIR}/assets/displays ${CMAKE_SOURCE_DIR}/assets/displays/*.json)
set(HALL_SCREEN_CONFFILES "/etc/hall/kiosk.json\n/etc/hall/counter.json\n/etc/hall/evaluator.json\n/etc/hall/screen.env\n")
foreach(layout ${HALL_LAYOUTS})
  string(APPEND HALL_SCREEN_CONFFILES "/etc/hall/displays/${layout}\n")
endforeach()
file(WRITE ${CMAKE_BINARY_DIR}/debian/screens/conffiles "${HALL_SCREEN_CONFFILES}")
include(CPack)

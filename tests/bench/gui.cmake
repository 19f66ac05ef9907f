# bench_gui: responsiveness of mpq-studio (event-loop gaps during an analysis, Cancel to idle,
# one threshold move on 10,000 channels). Prints figures, asserts nothing.
# Included from tests/CMakeLists.txt inside if(MPQ_BUILD_BENCHMARKS).
add_executable(bench_gui bench/bench_gui.cpp)
set_target_properties(bench_gui PROPERTIES AUTOMOC ON)
target_link_libraries(bench_gui PRIVATE mpqstudio Qt6::Test)

# make_screenshots: the README's screenshots of the Preview, Compare and Export (run under
# xvfb-run; see the file's header).
add_executable(make_screenshots bench/make_screenshots.cpp)
set_target_properties(make_screenshots PROPERTIES AUTOMOC ON)
target_link_libraries(make_screenshots PRIVATE mpqstudio Qt6::Test)

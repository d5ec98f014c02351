// A shared library without the backend entry point (plugin_test.cc).
extern "C" int maas_not_a_backend() { return 0; }

#include "manager/cli/commands.hpp"

int main(int argc, char** argv) { return mha::manager::mhactl_main(argc, argv); }

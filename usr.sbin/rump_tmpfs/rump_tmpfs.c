/* rump_tmpfs: the kernel's tmpfs mounted on the host through FUSE. */

#include <rump/p2k.h>

int
main(int argc, char **argv)
{

	return p2k_main("tmpfs", argc, argv);
}

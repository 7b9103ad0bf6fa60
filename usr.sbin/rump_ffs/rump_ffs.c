/* rump_ffs: an FFS image mounted on the host through FUSE (libp2k). */

#include <rump/p2k.h>

int
main(int argc, char **argv)
{

	return p2k_main("ffs", argc, argv);
}

/* enosys: syscall numbers no kernel defines must fail with ENOSYS. */
#include <stdio.h>
#include <unistd.h>
#include "errname.h"

int main(void)
{
	static const long numbers[] = { 335, 400, 1000, 100000, -1 };

	for (unsigned i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		long r = syscall(numbers[i], 0, 0, 0, 0, 0, 0);
		printf("syscall(%ld) = %ld %s\n", numbers[i], r, r < 0 ? errname(errno) : "");
	}
	return 0;
}

/* segv: dereferences NULL; the kernel must kill it with SIGSEGV and carry on. */
#include <stdio.h>

int main(void)
{
	volatile int *p = NULL;

	printf("segv: writing to NULL\n");
	fflush(stdout);
	*p = 1;
	printf("segv: still alive (wrong)\n");
	return 0;
}

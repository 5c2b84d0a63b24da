/* nop: exits 0 at once; the static binary that fork+exec tests and benchmarks run. */
int main(void)
{
	return 0;
}

// sources: kernel/net/bpf.c
/* Tests of the classic BPF checks and interpreter behind SO_ATTACH_FILTER. */
#include "unit.h"
#include "net/bpf.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* udev's monitor filter, reduced: keep messages starting with "add@", else drop. */
static const struct sock_filter add_only[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x61646440, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

TEST(bpf_filter_keeps_and_drops)
{
	CHECK_EQ(bpf_check(add_only, N(add_only)), 0);
	CHECK_EQ(bpf_run(add_only, N(add_only), "add@/devices/x", 14), 0xffffffff);
	CHECK_EQ(bpf_run(add_only, N(add_only), "remove@/devices/x", 17), 0);
	/* A load past the end of the packet drops it. */
	CHECK_EQ(bpf_run(add_only, N(add_only), "ad", 2), 0);
}

TEST(bpf_alu_memory_and_index)
{
	static const struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),		/* A = len */
		BPF_STMT(BPF_ST, 3),				/* M[3] = A */
		BPF_STMT(BPF_LDX | BPF_W | BPF_IMM, 1),		/* X = 1 */
		BPF_STMT(BPF_LD | BPF_B | BPF_IND, 1),		/* A = pkt[X + 1] */
		BPF_STMT(BPF_ALU | BPF_MUL | BPF_K, 3),
		BPF_STMT(BPF_MISC | BPF_TAX, 0),
		BPF_STMT(BPF_LD | BPF_MEM, 3),
		BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),		/* A = len + 3 * pkt[2] */
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	CHECK_EQ(bpf_check(prog, N(prog)), 0);
	CHECK_EQ(bpf_run(prog, N(prog), "\x00\x00\x05\x00", 4), 4 + 15);
	CHECK_EQ(bpf_run(prog, N(prog), "\x00\x00", 2), 0);
}

TEST(bpf_division_by_zero_x_drops)
{
	static const struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_IMM, 10),
		BPF_STMT(BPF_LDX | BPF_W | BPF_IMM, 0),
		BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
		BPF_STMT(BPF_RET | BPF_K, 7),
	};
	CHECK_EQ(bpf_check(prog, N(prog)), 0);
	CHECK_EQ(bpf_run(prog, N(prog), "", 0), 0);
}

TEST(bpf_check_refuses_bad_programs)
{
	struct sock_filter p[4];

	CHECK_EQ(bpf_check(add_only, 0), -EINVAL);
	CHECK_EQ(bpf_check(add_only, BPF_MAXINSNS + 1), -EINVAL);
	memcpy(p, add_only, sizeof(p));
	p[3] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0);
	CHECK_EQ(bpf_check(p, 4), -EINVAL);		/* no final RET */
	memcpy(p, add_only, sizeof(p));
	p[1].jt = 2;
	CHECK_EQ(bpf_check(p, 4), -EINVAL);		/* jump past the end */
	memcpy(p, add_only, sizeof(p));
	p[0] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, 3, 0, 0);
	CHECK_EQ(bpf_check(p, 4), -EINVAL);
	p[0] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 0);
	CHECK_EQ(bpf_check(p, 4), -EINVAL);
	p[0] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 32);
	CHECK_EQ(bpf_check(p, 4), -EINVAL);
	p[0] = (struct sock_filter)BPF_STMT(BPF_LDX | BPF_W | BPF_MEM, 16);
	CHECK_EQ(bpf_check(p, 4), -EINVAL);
	p[0] = (struct sock_filter)BPF_STMT(0x07ff, 0);
	CHECK_EQ(bpf_check(p, 4), -EINVAL);
}

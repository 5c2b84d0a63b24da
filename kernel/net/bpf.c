/*
 * bpf.c — classic BPF (SO_ATTACH_FILTER): the checks Linux's bpf_check_classic
 * makes on a program, and an interpreter that runs it over a packet with every
 * load bounds-checked (an out-of-bounds load ends the program with 0: drop).
 */
#include "net/bpf.h"

#define BPF_MEMWORDS 16

/* True when code is an instruction Lumen runs (Linux's classic set without the
 * ancillary loads). */
static bool bpf_code_ok(uint16_t code)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS: case BPF_LD | BPF_H | BPF_ABS: case BPF_LD | BPF_B | BPF_ABS:
	case BPF_LD | BPF_W | BPF_IND: case BPF_LD | BPF_H | BPF_IND: case BPF_LD | BPF_B | BPF_IND:
	case BPF_LD | BPF_W | BPF_LEN: case BPF_LD | BPF_IMM: case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_W | BPF_IMM: case BPF_LDX | BPF_W | BPF_MEM: case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_B | BPF_MSH: case BPF_ST: case BPF_STX:
	case BPF_ALU | BPF_NEG: case BPF_RET | BPF_K: case BPF_RET | BPF_A:
	case BPF_MISC | BPF_TAX: case BPF_MISC | BPF_TXA: case BPF_JMP | BPF_JA:
		return true;
	}
	if (BPF_CLASS(code) == BPF_ALU && BPF_OP(code) <= BPF_XOR && BPF_OP(code) != BPF_NEG)
		return true;
	if (BPF_CLASS(code) == BPF_JMP && BPF_OP(code) >= BPF_JEQ && BPF_OP(code) <= BPF_JSET)
		return true;
	return false;
}

/* Checks a program as Linux does before attaching it; 0 or -EINVAL. */
int bpf_check(const struct sock_filter *f, unsigned len)
{
	unsigned pc;

	if (!len || len > BPF_MAXINSNS)
		return -EINVAL;
	for (pc = 0; pc < len; pc++) {
		uint16_t code = f[pc].code;
		uint32_t k = f[pc].k;

		if (!bpf_code_ok(code))
			return -EINVAL;
		if ((code == (BPF_ALU | BPF_DIV | BPF_K) || code == (BPF_ALU | BPF_MOD | BPF_K)) && !k)
			return -EINVAL;
		if ((code == (BPF_ALU | BPF_LSH | BPF_K) || code == (BPF_ALU | BPF_RSH | BPF_K)) && k >= 32)
			return -EINVAL;
		if ((code == (BPF_LD | BPF_MEM) || code == (BPF_LDX | BPF_W | BPF_MEM) ||
		     code == BPF_ST || code == BPF_STX) && k >= BPF_MEMWORDS)
			return -EINVAL;
		if (code == (BPF_JMP | BPF_JA) && k >= len - pc - 1)
			return -EINVAL;
		if (BPF_CLASS(code) == BPF_JMP && code != (BPF_JMP | BPF_JA) &&
		    (pc + f[pc].jt + 1 >= len || pc + f[pc].jf + 1 >= len))
			return -EINVAL;
	}
	switch (f[len - 1].code) {
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
		return 0;
	}
	return -EINVAL;
}

/* Loads size bytes (big endian) at off of the packet; false when out of bounds. */
static bool bpf_load(const uint8_t *pkt, size_t len, uint64_t off, unsigned size, uint32_t *out)
{
	uint32_t v = 0;
	unsigned i;

	if (off > len || size > len - off)
		return false;
	for (i = 0; i < size; i++)
		v = v << 8 | pkt[off + i];
	*out = v;
	return true;
}

static uint32_t bpf_alu(uint16_t op, uint32_t a, uint32_t b)
{
	switch (op) {
	case BPF_ADD: return a + b;
	case BPF_SUB: return a - b;
	case BPF_MUL: return a * b;
	case BPF_DIV: return b ? a / b : 0;
	case BPF_MOD: return b ? a % b : 0;
	case BPF_OR: return a | b;
	case BPF_AND: return a & b;
	case BPF_XOR: return a ^ b;
	case BPF_LSH: return b < 32 ? a << b : 0;
	case BPF_RSH: return b < 32 ? a >> b : 0;
	}
	return 0;
}

static bool bpf_jump(uint16_t op, uint32_t a, uint32_t b)
{
	switch (op) {
	case BPF_JEQ: return a == b;
	case BPF_JGT: return a > b;
	case BPF_JGE: return a >= b;
	case BPF_JSET: return (a & b) != 0;
	}
	return false;
}

/* Runs a checked program over a packet; returns how many bytes to keep (0: drop).
 * A division by a zero X ends the program with 0, as Linux does. */
uint32_t bpf_run(const struct sock_filter *f, unsigned flen, const void *packet, size_t len)
{
	const uint8_t *pkt = packet;
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 }, v;
	unsigned pc;

	for (pc = 0; pc < flen; pc++) {
		uint16_t code = f[pc].code;
		uint32_t k = f[pc].k, src = BPF_SRC(code) == BPF_X ? x : k;

		switch (BPF_CLASS(code)) {
		case BPF_LD:
			if (BPF_MODE(code) == BPF_IMM)
				a = k;
			else if (BPF_MODE(code) == BPF_MEM)
				a = mem[k];
			else if (BPF_MODE(code) == BPF_LEN)
				a = len;
			else {
				uint64_t off = BPF_MODE(code) == BPF_IND ? (uint64_t)x + k : k;
				unsigned size = BPF_SIZE(code) == BPF_W ? 4 : BPF_SIZE(code) == BPF_H ? 2 : 1;

				if (!bpf_load(pkt, len, off, size, &a))
					return 0;
			}
			break;
		case BPF_LDX:
			if (BPF_MODE(code) == BPF_IMM)
				x = k;
			else if (BPF_MODE(code) == BPF_MEM)
				x = mem[k];
			else if (BPF_MODE(code) == BPF_LEN)
				x = len;
			else if (bpf_load(pkt, len, k, 1, &v))
				x = (v & 0xf) << 2;
			else
				return 0;
			break;
		case BPF_ST:
			mem[k] = a;
			break;
		case BPF_STX:
			mem[k] = x;
			break;
		case BPF_ALU:
			if (BPF_OP(code) == BPF_NEG)
				a = -a;
			else if ((BPF_OP(code) == BPF_DIV || BPF_OP(code) == BPF_MOD) && !src)
				return 0;
			else
				a = bpf_alu(BPF_OP(code), a, src);
			break;
		case BPF_JMP:
			if (BPF_OP(code) == BPF_JA)
				pc += k;
			else
				pc += bpf_jump(BPF_OP(code), a, src) ? f[pc].jt : f[pc].jf;
			break;
		case BPF_RET:
			return BPF_RVAL(code) == BPF_A ? a : k;
		case BPF_MISC:
			if (BPF_MISCOP(code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		}
	}
	return 0;
}

/* printf.c — the kernel's vsnprintf. Pure code: the host unit tests run it too. */
#include "lib/lib.h"

struct out {
	char *buf;
	size_t size;
	size_t len;	/* bytes the full output needs, even past size */
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_repeat(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

struct spec {
	bool left, zero, plus, space, alt;
	int width, precision;	/* precision -1: none given */
};

/* Prints a string field honouring width, precision and '-'. */
static void out_string(struct out *o, const char *s, const struct spec *sp)
{
	int len;

	if (!s)
		s = "(null)";
	len = (int)strnlen(s, sp->precision >= 0 ? (size_t)sp->precision : (size_t)-1);
	if (!sp->left)
		out_repeat(o, ' ', sp->width - len);
	for (int i = 0; i < len; i++)
		out_char(o, s[i]);
	if (sp->left)
		out_repeat(o, ' ', sp->width - len);
}

/* Prints an integer in the given base with sign, prefix, precision and padding. */
static void out_number(struct out *o, uint64_t v, bool negative, unsigned base,
		       bool upper, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, zeros, pad;
	const char *prefix = "";

	while (v) {
		tmp[n++] = digits[v % base];
		v /= base;
	}
	if (n == 0 && sp->precision != 0)
		tmp[n++] = '0';
	if (negative)
		prefix = "-";
	else if (sp->plus)
		prefix = "+";
	else if (sp->space)
		prefix = " ";
	if (sp->alt && base == 16 && !(n == 1 && tmp[0] == '0'))
		prefix = upper ? "0X" : "0x";
	if (sp->alt && base == 8 && tmp[n - 1] != '0')
		prefix = "0";

	zeros = sp->precision > n ? sp->precision - n : 0;
	pad = sp->width - n - zeros - (int)strlen(prefix);
	if (sp->zero && !sp->left && sp->precision < 0) {
		zeros += pad > 0 ? pad : 0;
		pad = 0;
	}
	if (!sp->left)
		out_repeat(o, ' ', pad);
	for (const char *p = prefix; *p; p++)
		out_char(o, *p);
	out_repeat(o, '0', zeros);
	while (n)
		out_char(o, tmp[--n]);
	if (sp->left)
		out_repeat(o, ' ', pad);
}

/* Reads flags, width and precision after a '%'; returns the new position. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .precision = -1 };
	for (;; f++) {
		if (*f == '-') sp->left = true;
		else if (*f == '0') sp->zero = true;
		else if (*f == '+') sp->plus = true;
		else if (*f == ' ') sp->space = true;
		else if (*f == '#') sp->alt = true;
		else break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->precision = 0;
		if (*f == '*') {
			sp->precision = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->precision = sp->precision * 10 + (*f++ - '0');
	}
	return f;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	struct out o = { buf, size, 0 };
	va_list ap;

	va_copy(ap, args);
	for (const char *f = fmt; *f; f++) {
		struct spec sp;
		int longs = 0, shorts = 0;
		bool is_signed = false;
		unsigned base = 10;
		uint64_t v;
		int64_t sv;

		if (*f != '%') {
			out_char(&o, *f);
			continue;
		}
		f = parse_spec(f + 1, &sp, &ap);
		for (;; f++) {
			if (*f == 'l') longs++;
			else if (*f == 'z' || *f == 'j' || *f == 't') longs = 2;
			else if (*f == 'h') shorts++;
			else break;
		}
		switch (*f) {
		case '%':
			out_char(&o, '%');
			continue;
		case 'c':
			if (!sp.left)
				out_repeat(&o, ' ', sp.width - 1);
			out_char(&o, (char)va_arg(ap, int));
			if (sp.left)
				out_repeat(&o, ' ', sp.width - 1);
			continue;
		case 's':
			out_string(&o, va_arg(ap, const char *), &sp);
			continue;
		case 'p':
			sp.alt = true;
			out_number(&o, (uintptr_t)va_arg(ap, void *), false, 16, false, &sp);
			continue;
		case 'd': case 'i':
			is_signed = true;
			break;
		case 'u':
			break;
		case 'x': case 'X':
			base = 16;
			break;
		case 'o':
			base = 8;
			break;
		case '\0':
			f--;
			continue;
		default:
			out_char(&o, '%');
			out_char(&o, *f);
			continue;
		}
		if (is_signed) {
			sv = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
			if (shorts == 1) sv = (short)sv;
			if (shorts >= 2) sv = (signed char)sv;
			v = sv < 0 ? -(uint64_t)sv : (uint64_t)sv;
			out_number(&o, v, sv < 0, base, false, &sp);
		} else {
			v = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
			if (shorts == 1) v = (unsigned short)v;
			if (shorts >= 2) v = (unsigned char)v;
			out_number(&o, v, false, base, *f == 'X', &sp);
		}
	}
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

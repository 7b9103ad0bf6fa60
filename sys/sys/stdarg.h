/*
 * Variable argument lists for kernel code, from the compiler's builtins.
 * Compatible with the compiler's own <stdarg.h> (which valgrind's client
 * request header includes): the definitions are the same builtins.
 */
#ifndef _SYS_STDARG_H_
#define _SYS_STDARG_H_

typedef __builtin_va_list	va_list;
#ifndef va_start
#define va_start(ap, last)	__builtin_va_start((ap), (last))
#define va_arg(ap, type)	__builtin_va_arg((ap), type)
#define va_copy(dst, src)	__builtin_va_copy((dst), (src))
#define va_end(ap)		__builtin_va_end(ap)
#endif

#endif /* !_SYS_STDARG_H_ */

/* Forced into every C file of SQLite and CPython built for older systems (build_in_root.sh).
 *
 * glibc 2.29 gave exp, exp2, log, log2 and pow new, faster implementations under a new symbol
 * version, so anything linked against glibc 2.29 or later asks for GLIBC_2.29 and will not load
 * on glibc 2.28 (UOS 20, Kylin V10 server). Binding the calls to the older versions, which every
 * glibc still carries, keeps the build root's glibc 2.31 from raising the bundle's floor.
 */
#if defined(__x86_64__) && defined(__linux__)  /* __GLIBC__ is not defined yet here */
__asm__(".symver exp,exp@GLIBC_2.2.5");
__asm__(".symver exp2,exp2@GLIBC_2.2.5");
__asm__(".symver log,log@GLIBC_2.2.5");
__asm__(".symver log2,log2@GLIBC_2.2.5");
__asm__(".symver pow,pow@GLIBC_2.2.5");
#endif

using System.Runtime.InteropServices;

namespace Caisson.Runtime.Oci;

/// <summary>
/// Caisson's RuntimeDefault seccomp filter: an allow-list, everything else fails with EPERM. Syscalls that reach
/// across the container boundary (kernel keyring, modules, kexec, reboot, swap, mounts, new namespaces, ptrace,
/// clock changes) are allowed only when the container holds the capability that would make them meaningful.
/// </summary>
internal static class SeccompDefaultProfile
{
    private const uint EPERM = 1;
    private const uint ENOSYS = 38;

    // Namespace-creating clone flags: CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET.
    private const ulong CloneNamespaceFlags = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000;

    /// <summary>What any process needs: files, memory, signals, time, sockets, scheduling of itself.</summary>
    private static readonly string[] Allowed =
    [
        // Files and descriptors.
        "access", "faccessat", "faccessat2", "open", "openat", "openat2", "creat", "close", "close_range", "read", "readv",
        "pread64", "preadv", "preadv2", "write", "writev", "pwrite64", "pwritev", "pwritev2", "lseek", "_llseek",
        "stat", "stat64", "lstat", "lstat64", "fstat", "fstat64", "newfstatat", "fstatat64", "statx", "statfs",
        "statfs64", "fstatfs", "fstatfs64", "dup", "dup2", "dup3", "fcntl", "fcntl64", "flock", "fsync", "fdatasync",
        "sync", "syncfs", "sync_file_range", "truncate", "truncate64", "ftruncate", "ftruncate64", "fallocate",
        "fadvise64", "fadvise64_64", "readahead", "getdents", "getdents64", "mkdir", "mkdirat", "rmdir", "rename",
        "renameat", "renameat2", "link", "linkat", "unlink", "unlinkat", "symlink", "symlinkat", "readlink",
        "readlinkat", "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "chown32", "fchown", "fchown32", "fchownat",
        "lchown", "lchown32", "umask", "utime", "utimes", "utimensat", "utimensat_time64", "futimesat", "mknod",
        "mknodat", "chdir", "fchdir", "getcwd", "pipe", "pipe2", "splice", "tee", "vmsplice", "sendfile",
        "sendfile64", "copy_file_range", "ioctl", "getxattr", "lgetxattr", "fgetxattr", "setxattr", "lsetxattr",
        "fsetxattr", "listxattr", "llistxattr", "flistxattr", "removexattr", "lremovexattr", "fremovexattr",
        "inotify_init", "inotify_init1", "inotify_add_watch", "inotify_rm_watch", "fanotify_mark", "memfd_create",
        "name_to_handle_at", "mq_open", "mq_unlink", "mq_timedsend", "mq_timedsend_time64", "mq_timedreceive",
        "mq_timedreceive_time64", "mq_notify", "mq_getsetattr", "io_setup", "io_destroy", "io_submit", "io_cancel",
        "io_getevents", "io_pgetevents", "io_pgetevents_time64", "io_uring_setup", "io_uring_enter",
        "io_uring_register",

        // Polling and events.
        "select", "_newselect", "pselect6", "pselect6_time64", "poll", "ppoll", "ppoll_time64", "epoll_create",
        "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_wait", "epoll_wait_old", "epoll_pwait", "epoll_pwait2",
        "eventfd", "eventfd2", "signalfd", "signalfd4", "timerfd_create", "timerfd_settime", "timerfd_settime64",
        "timerfd_gettime", "timerfd_gettime64",

        // Memory.
        "brk", "mmap", "mmap2", "munmap", "mremap", "mprotect", "pkey_mprotect", "pkey_alloc", "pkey_free", "madvise",
        "mincore", "mlock", "mlock2", "mlockall", "munlock", "munlockall", "msync", "membarrier", "remap_file_pages",
        "process_mrelease", "set_mempolicy_home_node",

        // Processes, threads and signals.
        "fork", "vfork", "execve", "execveat", "exit", "exit_group", "wait4", "waitid", "waitpid", "kill", "tkill",
        "tgkill", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigpending", "rt_sigsuspend",
        "rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "sigaction",
        "sigaltstack", "signal", "sigpending", "sigprocmask", "sigreturn", "sigsuspend", "pause", "getpid", "getppid",
        "gettid", "getpgid", "getpgrp", "setpgid", "getsid", "setsid", "set_tid_address", "set_robust_list",
        "get_robust_list", "futex", "futex_time64", "futex_waitv", "futex_wake", "futex_wait", "futex_requeue",
        "arch_prctl", "prctl", "capget", "capset", "rseq", "restart_syscall", "pidfd_open", "pidfd_send_signal",
        "pidfd_getfd", "getrusage", "getrlimit", "ugetrlimit", "setrlimit", "prlimit64", "getpriority", "setpriority",
        "sched_yield", "sched_getaffinity", "sched_setaffinity", "sched_getparam", "sched_setparam",
        "sched_getscheduler", "sched_setscheduler", "sched_get_priority_max", "sched_get_priority_min",
        "sched_rr_get_interval", "sched_rr_get_interval_time64", "sched_getattr", "sched_setattr", "ioprio_get",
        "ioprio_set", "landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self", "seccomp",
        "set_thread_area", "get_thread_area", "uname", "sysinfo", "getrandom", "getcpu", "times", "alarm",
        "setitimer", "getitimer", "nanosleep", "clock_nanosleep", "clock_nanosleep_time64", "clock_gettime",
        "clock_gettime64", "clock_getres", "clock_getres_time64", "gettimeofday", "time", "timer_create",
        "timer_delete", "timer_settime", "timer_settime64", "timer_gettime", "timer_gettime64", "timer_getoverrun",

        // Identity (the kernel checks CAP_SETUID/CAP_SETGID itself).
        "getuid", "getuid32", "geteuid", "geteuid32", "getgid", "getgid32", "getegid", "getegid32", "getresuid",
        "getresuid32", "getresgid", "getresgid32", "getgroups", "getgroups32", "setuid", "setuid32", "setgid",
        "setgid32", "setreuid", "setreuid32", "setregid", "setregid32", "setresuid", "setresuid32", "setresgid",
        "setresgid32", "setgroups", "setgroups32", "setfsuid", "setfsuid32", "setfsgid", "setfsgid32",

        // Sockets and System V IPC (both namespaced).
        "socket", "socketpair", "socketcall", "bind", "listen", "accept", "accept4", "connect", "getsockname",
        "getpeername", "getsockopt", "setsockopt", "send", "sendto", "sendmsg", "sendmmsg", "recv", "recvfrom",
        "recvmsg", "recvmmsg", "recvmmsg_time64", "shutdown", "ipc", "shmget", "shmat", "shmdt", "shmctl", "semget",
        "semop", "semtimedop", "semtimedop_time64", "semctl", "msgget", "msgsnd", "msgrcv", "msgctl",
    ];

    /// <summary>Syscalls allowed only with a capability: the capability is the kernel's own gate, the filter narrows what it reaches.</summary>
    private static readonly (string Capability, string[] Names)[] CapabilityGated =
    [
        ("CAP_SYS_ADMIN", ["mount", "umount", "umount2", "pivot_root", "unshare", "setns", "sethostname",
            "setdomainname", "clone3", "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree",
            "mount_setattr", "quotactl", "quotactl_fd", "lookup_dcookie", "perf_event_open", "fanotify_init",
            "open_by_handle_at", "bpf", "syslog", "vm86", "vm86old", "iopl", "ioperm"]),
        ("CAP_SYS_BOOT", ["reboot"]),
        ("CAP_SYS_CHROOT", ["chroot"]),
        ("CAP_SYS_MODULE", ["init_module", "finit_module", "delete_module"]),
        ("CAP_SYS_PACCT", ["acct"]),
        ("CAP_SYS_PTRACE", ["ptrace", "process_vm_readv", "process_vm_writev", "kcmp"]),
        ("CAP_SYS_RAWIO", ["iopl", "ioperm"]),
        ("CAP_SYS_TIME", ["settimeofday", "stime", "clock_settime", "clock_settime64", "adjtimex", "clock_adjtime",
            "clock_adjtime64"]),
        ("CAP_SYS_TTY_CONFIG", ["vhangup"]),
        ("CAP_SYS_NICE", ["get_mempolicy", "set_mempolicy", "mbind", "move_pages", "migrate_pages"]),
        ("CAP_SYSLOG", ["syslog"]),
        ("CAP_BPF", ["bpf"]),
        ("CAP_PERFMON", ["perf_event_open"]),
    ];

    /// <summary>Never allowed by the default profile, whatever the capabilities (listed for tests and readers).</summary>
    public static readonly IReadOnlyList<string> AlwaysBlocked =
    [
        "keyctl", "add_key", "request_key", "kexec_load", "kexec_file_load", "swapon", "swapoff", "userfaultfd",
        "nfsservctl", "uselib", "ustat", "sysfs", "_sysctl", "create_module", "get_kernel_syms", "query_module",
        "lookup_dcookie",
    ];

    /// <summary>The filter for a container holding <paramref name="capabilities"/> (its bounding set).</summary>
    public static OciSeccomp For(IReadOnlyCollection<string> capabilities)
    {
        var rules = new List<OciSyscallRule> { Allow(Allowed) };
        rules.AddRange(PersonalityRules());
        var gated = CapabilityGated.Where(g => capabilities.Contains(g.Capability)).SelectMany(g => g.Names)
            .Except(AlwaysBlocked).Distinct().ToList();
        if (gated.Count > 0)
            rules.Add(Allow(gated));

        if (capabilities.Contains("CAP_SYS_ADMIN"))
        {
            rules.Add(Allow(["clone"]));
        }
        else
        {
            // clone without namespace flags (argument 0 on the architectures we list); clone3 hides its flags in
            // memory the filter cannot read, so it reports ENOSYS and libc falls back to clone.
            rules.Add(Allow(["clone"]) with { Args = [new OciSyscallArg(0, CloneNamespaceFlags, 0, "SCMP_CMP_MASKED_EQ")] });
            rules.Add(new OciSyscallRule { Names = ["clone3"], Action = "SCMP_ACT_ERRNO", ErrnoRet = ENOSYS });
        }

        return new OciSeccomp
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            DefaultErrnoRet = EPERM,
            Architectures = Architectures(),
            Syscalls = rules,
        };
    }

    private static OciSyscallRule Allow(IReadOnlyList<string> names) => new() { Names = names, Action = "SCMP_ACT_ALLOW" };

    /// <summary>personality() only for the execution domains programs ask for in practice (linux, linux32, query).</summary>
    private static IEnumerable<OciSyscallRule> PersonalityRules() =>
        new ulong[] { 0x0, 0x0008, 0x20000, 0x20008, 0xffffffff }.Select(persona =>
            Allow(["personality"]) with { Args = [new OciSyscallArg(0, persona, 0, "SCMP_CMP_EQ")] });

    private static IReadOnlyList<string> Architectures() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
        Architecture.Arm64 => ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"],
        Architecture.RiscV64 => ["SCMP_ARCH_RISCV64"],
        Architecture.S390x => ["SCMP_ARCH_S390X", "SCMP_ARCH_S390"],
        Architecture.Ppc64le => ["SCMP_ARCH_PPC64LE"],
        _ => [],
    };
}

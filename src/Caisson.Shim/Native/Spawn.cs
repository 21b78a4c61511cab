using System.Runtime.InteropServices;
using System.Text;

namespace Caisson.Shim.Native;

/// <summary>What a spawned child gets on a descriptor: an fd of ours (dup2) or a file opened for it.</summary>
internal readonly record struct ChildDescriptor(int Target, int SourceFd, string? OpenPath = null, int OpenFlags = 0);

/// <summary>
/// posix_spawn, never fork: forking a running .NET process is unsafe. The child gets default signal
/// dispositions and an empty signal mask, so the SIGPIPE the shim ignores is not passed on to containers.
/// </summary>
internal static unsafe partial class Spawn
{
    private const short POSIX_SPAWN_SETSIGDEF = 0x04;
    private const short POSIX_SPAWN_SETSIGMASK = 0x08;
    private const short POSIX_SPAWN_SETSID = 0x80;

    // glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128; room to spare.
    private const int OpaqueSize = 512;

    public static int Start(string path, IReadOnlyList<string> arguments, IReadOnlyList<ChildDescriptor> descriptors, bool newSession)
    {
        var actions = NativeMemory.AllocZeroed(OpaqueSize);
        var attributes = NativeMemory.AllocZeroed(OpaqueSize);
        var signals = NativeMemory.AllocZeroed(OpaqueSize);
        var argv = ToNative(arguments);
        var envp = ToNative(CurrentEnvironment());
        try
        {
            Check(posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            foreach (var descriptor in descriptors)
            {
                var result = descriptor.OpenPath is null
                    ? posix_spawn_file_actions_adddup2(actions, descriptor.SourceFd, descriptor.Target)
                    : posix_spawn_file_actions_addopen(actions, descriptor.Target, descriptor.OpenPath, descriptor.OpenFlags, 0x180);
                Check(result, "posix_spawn_file_actions");
            }

            Check(posix_spawnattr_init(attributes), "posix_spawnattr_init");
            Check(sigfillset(signals), "sigfillset");
            Check(posix_spawnattr_setsigdefault(attributes, signals), "posix_spawnattr_setsigdefault");
            Check(sigemptyset(signals), "sigemptyset");
            Check(posix_spawnattr_setsigmask(attributes, signals), "posix_spawnattr_setsigmask");
            var flags = (short)(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | (newSession ? POSIX_SPAWN_SETSID : 0));
            Check(posix_spawnattr_setflags(attributes, flags), "posix_spawnattr_setflags");

            int pid;
            var error = posix_spawn(&pid, path, actions, attributes, argv, envp);
            if (error != 0)
                throw new ShimException($"spawn {path}: {Libc.Describe(error)} (errno {error})");
            return pid;
        }
        finally
        {
            posix_spawn_file_actions_destroy(actions);
            posix_spawnattr_destroy(attributes);
            FreeNative(argv);
            FreeNative(envp);
            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(signals);
        }
    }

    private static List<string> CurrentEnvironment()
    {
        var entries = new List<string>();
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            entries.Add($"{entry.Key}={entry.Value}");
        return entries;
    }

    private static void Check(int result, string call)
    {
        if (result != 0)
            throw new ShimException($"{call}: {Libc.Describe(result)} (errno {result})");
    }

    private static byte** ToNative(IReadOnlyList<string> strings)
    {
        var array = (byte**)NativeMemory.AllocZeroed((nuint)(strings.Count + 1), (nuint)sizeof(byte*));
        for (var i = 0; i < strings.Count; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(strings[i]);
            var native = (byte*)NativeMemory.Alloc((nuint)bytes.Length + 1);
            bytes.CopyTo(new Span<byte>(native, bytes.Length));
            native[bytes.Length] = 0;
            array[i] = native;
        }

        return array;
    }

    private static void FreeNative(byte** array)
    {
        for (var entry = array; *entry != null; entry++)
            NativeMemory.Free(*entry);
        NativeMemory.Free(array);
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawn(int* pid, string path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_init(void* actions);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_destroy(void* actions);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_adddup2(void* actions, int fd, int target);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawn_file_actions_addopen(void* actions, int fd, string path, int flags, int mode);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_init(void* attributes);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_destroy(void* attributes);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_setflags(void* attributes, short flags);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_setsigdefault(void* attributes, void* signals);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_setsigmask(void* attributes, void* signals);

    [LibraryImport("libc")]
    private static partial int sigfillset(void* signals);

    [LibraryImport("libc")]
    private static partial int sigemptyset(void* signals);
}

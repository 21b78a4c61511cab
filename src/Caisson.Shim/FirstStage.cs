using Caisson.Shim.Native;

namespace Caisson.Shim;

/// <summary>
/// What the daemon starts: prepares the state directory, spawns the real shim detached (new session, stdio
/// on /dev/null and shim.log, so it is nobody's child once this stage exits), and exits 0 once the container
/// is created, or 1 with the reason on stderr.
/// </summary>
internal static unsafe class FirstStage
{
    private const int ReadyFd = 3;

    public static int Run(ShimOptions options)
    {
        // Descriptors the daemon's own parent leaked to it (a shell's pipe, a CI job server) must not live on in
        // the detached shim and its runc children: a pipe held there never reaches EOF for whoever reads it.
        if (Libc.close_range(3, uint.MaxValue, Libc.CLOSE_RANGE_CLOEXEC) < 0)
            throw Libc.Failure("close_range");
        Directory.CreateDirectory(options.StateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(options.StateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var stale in new[] { "ready", "create-error", "exit" })
            File.Delete(Path.Combine(options.StateDirectory, stale));

        var fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.O_CLOEXEC) < 0)
            throw Libc.Failure("pipe2");
        var executable = Environment.ProcessPath ?? throw new ShimException("cannot find the shim's own executable");
        var arguments = options.ToArguments(ReadyFd);
        arguments.Insert(0, executable);
        try
        {
            Spawn.Start(
                executable,
                arguments,
                [
                    new ChildDescriptor(0, -1, "/dev/null", Libc.O_RDONLY),
                    new ChildDescriptor(1, -1, options.ShimLogPath, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND),
                    new ChildDescriptor(2, 1),
                    new ChildDescriptor(ReadyFd, fds[1]),
                ],
                newSession: true);
        }
        finally
        {
            Libc.close(fds[1]);
        }

        // The detached shim is not waited for: as an orphan it is reaped by init (or the nearest subreaper).
        var outcome = ReadAll(fds[0]);
        Libc.close(fds[0]);
        if (outcome == "ready")
            return 0;
        var errorPath = Path.Combine(options.StateDirectory, "create-error");
        var reason = File.Exists(errorPath) ? File.ReadAllText(errorPath).Trim() : $"the shim exited during create; see {options.ShimLogPath}";
        Console.Error.WriteLine(reason);
        return 1;
    }

    /// <summary>Up to 64 bytes from <paramref name="fd"/>, read until end of file.</summary>
    public static string ReadAll(int fd)
    {
        var buffer = stackalloc byte[64];
        var length = 0;
        while (length < 64)
        {
            var count = Libc.read(fd, buffer + length, 64 - length);
            if (count < 0 && Libc.LastError == Libc.EINTR)
                continue;
            if (count <= 0)
                break;
            length += (int)count;
        }

        return System.Text.Encoding.ASCII.GetString(buffer, length).Trim();
    }
}

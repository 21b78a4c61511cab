using Caisson.Core.Errors;
using Caisson.Linux.Interop;
using Caisson.Runtime.Driver;
using Caisson.Runtime.Network;
using Caisson.Runtime.Shim;
using Microsoft.Win32.SafeHandles;

namespace Caisson.Runtime.Sandboxes;

/// <summary>
/// A pod's pause process (<c>caisson-shim pause</c>): PID 1 of the pod's PID namespace, which lives as long as it
/// does. The shim writes its pid to a file in the sandbox directory before the daemon could record anything, so a
/// pause started by a RunPodSandbox that crashed half-way is still found and killed. A pid read from that file is
/// only signaled through a pidfd, after its command line shows it is this sandbox's pause.
/// </summary>
internal static class PauseProcess
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    public static string PidFilePath(string sandboxDirectory) => Path.Combine(sandboxDirectory, "pause.pid");

    /// <summary>Starts the pause of sandbox <paramref name="sandboxId"/> and pins its PID namespace at <paramref name="pinPath"/>.</summary>
    public static async Task StartAsync(string shimPath, string sandboxId, string sandboxDirectory, string pinPath, string? cgroupsPath = null)
    {
        var purpose = $"starting the pause process of pod sandbox {sandboxId}";
        await ShimLauncher.RunFirstStageAsync(
            shimPath, ["pause", "--id", sandboxId, "--pid-file", PidFilePath(sandboxDirectory)], StartTimeout, purpose, CancellationToken.None)
            .ConfigureAwait(false);
        var (pid, handle) = Find(sandboxId, sandboxDirectory)
            ?? throw new CaissonException(ErrorKind.Internal, $"{purpose}: it exited at once");
        using (handle)
        {
            if (cgroupsPath is not null)
                PauseCgroup.Join(cgroupsPath, pid);
            NamespacePin.PinExisting(Path.GetDirectoryName(pinPath)!, Path.GetFileName(pinPath), $"/proc/{pid}/ns/pid");
            // Had the pause died before the bind, the pid might have named another process: the pin would be wrong.
            if (ProcessHandles.WaitForExit(handle, TimeSpan.Zero))
            {
                NamespacePin.Remove(pinPath);
                throw new CaissonException(ErrorKind.Internal, $"{purpose}: it exited before its PID namespace was pinned");
            }
        }
    }

    /// <summary>Kills the sandbox's pause (and with it every process left in its PID namespace); a pause already gone is fine.</summary>
    public static void Kill(string sandboxId, string sandboxDirectory)
    {
        if (Find(sandboxId, sandboxDirectory) is { } pause)
        {
            using (pause.Handle)
            {
                if (ProcessHandles.Signal(pause.Handle, ProcessHandles.SIGKILL) && !ProcessHandles.WaitForExit(pause.Handle, ExitTimeout))
                    throw new CaissonException(ErrorKind.Internal, $"the pause process {pause.Pid} of pod sandbox {sandboxId} did not exit within {ExitTimeout}");
            }
        }

        if (File.Exists(PidFilePath(sandboxDirectory)))
            File.Delete(PidFilePath(sandboxDirectory));
    }

    /// <summary>True while the sandbox's pause process runs.</summary>
    public static bool IsRunning(string sandboxId, string sandboxDirectory)
    {
        if (Find(sandboxId, sandboxDirectory) is not { } pause)
            return false;
        using (pause.Handle)
            return !ProcessHandles.WaitForExit(pause.Handle, TimeSpan.Zero);
    }

    /// <summary>The pause's pid and a pidfd for it, or null when there is none (no pid file, or the pid is another process now).</summary>
    private static (int Pid, SafeFileHandle Handle)? Find(string sandboxId, string sandboxDirectory)
    {
        if (ProcessFiles.ReadPid(PidFilePath(sandboxDirectory)) is not { } pid || pid <= 1)
            return null;
        var handle = ProcessHandles.Open(pid);
        if (handle is null)
            return null;
        // Checked after the pidfd is open: if this is our pause, the pidfd names it and not a later owner of the pid.
        if (IsPauseOf(pid, sandboxId))
            return (pid, handle);
        handle.Dispose();
        return null;
    }

    /// <summary>The second stage's command line is <c>caisson-shim pause --id ID --init</c>.</summary>
    private static bool IsPauseOf(int pid, string sandboxId)
    {
        return ProcessFiles.CommandLine(pid) is { } arguments && arguments.Length >= 5 && arguments[1] == "pause" && arguments[2] == "--id" && arguments[3] == sandboxId && arguments[4] == "--init";
    }
}

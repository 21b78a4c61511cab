using Caisson.Runtime.Driver;

namespace Caisson.Runtime.Shim;

/// <summary>
/// A shim's own process, found through STATE/shim.pid and told apart from a later process with the same pid
/// by its command line (which names the state directory) and its start time.
/// </summary>
internal readonly record struct ShimProcess(int Pid, ulong StartTime)
{
    /// <summary>How long one blocking wait lasts before cancellation is looked at again.</summary>
    private static readonly TimeSpan WaitSlice = TimeSpan.FromMilliseconds(100);

    /// <summary>The live shim of <paramref name="state"/>, or null when there is none.</summary>
    public static ShimProcess? Find(ShimStateDirectory state)
    {
        if (ProcessFiles.ReadPid(state.ShimPidPath) is not { } pid
            || ProcessStat.Read(pid) is not { HasExited: false } stat
            || !ServesStateDirectory(pid, state.Path))
            return null;
        return new ShimProcess(pid, stat.StartTime);
    }

    /// <summary>True once the process has terminated; a zombie waiting for init to reap it counts as terminated.</summary>
    public bool HasExited => ProcessStat.Read(Pid) is not { } stat || stat.HasExited || stat.StartTime != StartTime;

    /// <summary>Waits until the shim has exited; false when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // A pidfd becomes readable the moment the shim exits (as a zombie too). Polling /proc every 10 ms instead
        // added 5 ms on average to every RemoveContainer.
        using var pidfd = Caisson.Linux.Interop.ProcessHandles.Open(Pid);
        // Checked after the open: a pid reused since Find has another start time, and then ours is gone.
        if (pidfd is null || HasExited)
            return true;
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var slice = TimeSpan.FromTicks(Math.Clamp((deadline - DateTime.UtcNow).Ticks, 0, WaitSlice.Ticks));
            if (await Task.Run(() => Caisson.Linux.Interop.ProcessHandles.WaitForExit(pidfd, slice), CancellationToken.None).ConfigureAwait(false))
                return true;
            if (DateTime.UtcNow >= deadline)
                return false;
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static bool ServesStateDirectory(int pid, string stateDirectory)
    {
        if (ProcessFiles.CommandLine(pid) is not { } arguments)
            return false;
        var expected = Path.GetFullPath(stateDirectory);
        for (var i = 0; i + 1 < arguments.Length; i++)
        {
            if (arguments[i] == "--state-dir" && Path.GetFullPath(arguments[i + 1]) == expected)
                return true;
        }

        return false;
    }
}

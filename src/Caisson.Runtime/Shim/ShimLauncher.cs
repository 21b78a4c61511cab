using System.Diagnostics;
using Caisson.Core.Errors;

namespace Caisson.Runtime.Shim;

/// <summary>
/// How to start a container's shim. <paramref name="OomEventsPath"/> is the cgroup file whose <c>oom_kill</c>
/// counter tells an OOM kill (memory.events on v2, memory.oom_control on v1), or null to not detect them.
/// </summary>
public sealed record ShimLaunchOptions(
    string ShimPath, string ContainerId, string Bundle, string Runtime, string RuntimeRoot, string StateDirectory, string? LogPath, bool Stdin,
    string? OomEventsPath = null);

/// <summary>
/// Starts caisson-shim, whose first stage exits once the container is created (the shim itself runs on,
/// detached from the daemon), and returns a client for it.
/// </summary>
public static class ShimLauncher
{
    public static readonly TimeSpan DefaultCreateTimeout = TimeSpan.FromSeconds(60);

    public static async Task<ShimClient> LaunchAsync(ShimLaunchOptions options, TimeSpan createTimeout, CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo(options.ShimPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments(options))
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)
            ?? throw new CaissonException(ErrorKind.Internal, $"could not start {options.ShimPath}");
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(createTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException error)
        {
            process.Kill();
            if (cancellationToken.IsCancellationRequested)
                throw;
            throw new CaissonException(
                ErrorKind.DeadlineExceeded, $"shim for container {options.ContainerId} did not create it within {createTimeout}", error);
        }

        if (process.ExitCode != 0)
        {
            var reason = $"create container {options.ContainerId}: {(await stderr).Trim()} (shim exited with {process.ExitCode})";
            throw (CaissonException?)Driver.RuntimeErrors.HybridCgroupsRefused(Path.GetFileName(options.Runtime), reason)
                ?? new CaissonException(ErrorKind.Internal, reason);
        }

        return new ShimClient(new ShimStateDirectory(options.StateDirectory));
    }

    internal static List<string> Arguments(ShimLaunchOptions options)
    {
        var arguments = new List<string>
        {
            "--id", options.ContainerId, "--bundle", options.Bundle, "--runtime", options.Runtime,
            "--runtime-root", options.RuntimeRoot, "--state-dir", options.StateDirectory,
        };
        if (options.LogPath is not null)
            arguments.AddRange(["--log", options.LogPath]);
        if (options.OomEventsPath is not null)
            arguments.AddRange(["--oom-events", options.OomEventsPath]);
        if (options.Stdin)
            arguments.Add("--stdin");
        return arguments;
    }
}
